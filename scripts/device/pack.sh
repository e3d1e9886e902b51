#!/bin/bash
# Prepare what a GPU run needs that the GPU machine lacks: Node itself and the Vulkan loader.
# Usage, from the project root:  bash scripts/device/pack.sh [DIR]   (default DIR: .device-carry)
# Then bundle the benchmark into DIR (scripts/device-bench.sh does), send DIR along to the GPU
# machine and start the command there with:  bash DIR/setup.sh && source /tmp/gpu-env.sh
set -euo pipefail
dir="${1:-.device-carry}"
mkdir -p "$dir/gl" /tmp/amd64/partial
grep -qx "/$dir/" .git/info/exclude 2>/dev/null || echo "/$dir/" >> .git/info/exclude
[ -f "$dir/node.xz" ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > "$dir/node.xz"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
if ! ls "$dir"/gl/libvulkan1_*.deb >/dev/null 2>&1; then
  apt-get $o update >/dev/null
  (cd "$dir/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null 2>&1)
fi
cat > "$dir/setup.sh" <<'SETUP'
#!/bin/bash
# Runs on the GPU machine: unpack Node and the Vulkan loader, point Vulkan at the NVIDIA driver.
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p /tmp/nodebin && xz -dc "$here/node.xz" > /tmp/nodebin/node && chmod +x /tmp/nodebin/node
for f in "$here"/gl/*.deb; do dpkg -x "$f" /; done; ldconfig
for f in $(find "$here" -name '*.node.xz'); do xz -dkf "$f"; done
echo "export XDG_RUNTIME_DIR=/tmp VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json" > /tmp/gpu-env.sh
SETUP
chmod +x "$dir/setup.sh"
du -sh "$dir"
