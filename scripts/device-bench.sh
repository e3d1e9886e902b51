#!/usr/bin/env bash
# Packs a self-contained `adatosk` CLI for a GPU machine without Node or network (see
# scripts/device/pack.sh): Node, the Vulkan loader, the bundled CLI, Dawn (`webgpu`) and the
# tfjs WASM binaries, all under .device-carry/. Run there:
#   bash .device-carry/setup.sh && source /tmp/gpu-env.sh && bash .device-carry/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.device-carry
bash scripts/device/pack.sh "$dir" >/dev/null
# The benchmark needs no image codec: stand in for sharp (native, ~20 MB) with a module that says so.
mkdir -p "$dir/stubs"
echo "export default function sharp() { throw new Error('sharp is not part of the device bundle'); }" > "$dir/stubs/sharp.mjs"
npx esbuild packages/cli/src/main.ts --bundle --platform=node --format=esm --target=node20 \
  --conditions=@adatosk/source --external:webgpu --alias:sharp=./$dir/stubs/sharp.mjs --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);" \
  --outfile="$dir/adatosk-main.mjs"
cat > "$dir/adatosk.mjs" <<'JS'
import { main } from './adatosk-main.mjs';
main(process.argv.slice(2)).then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
JS
# Dawn: only the linux-x64 build, compressed (setup.sh unpacks every *.node.xz).
w="$dir/node_modules/webgpu"
rm -rf "$w" && mkdir -p "$w/dist/linux-x64"
cp node_modules/webgpu/{package.json,index.js} "$w/"
[ -d node_modules/webgpu/node_modules ] && cp -r node_modules/webgpu/node_modules "$w/"
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$w/dist/linux-x64/dawn.node.xz"
# tfjs WASM binaries where wasmDistDir() looks for them from the bundle.
t="$dir/node_modules/@tensorflow/tfjs-backend-wasm"
mkdir -p "$t/dist" && cp node_modules/@tensorflow/tfjs-backend-wasm/package.json "$t/" && cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$t/dist/"
cp packages/cli/package.json "$dir/cli-package.json"
cat > "$dir/bench.sh" <<'SH'
#!/bin/bash
# Runs on the GPU machine after setup.sh: adatosk bench on WebGPU for small and base.
here="$(cd "$(dirname "$0")" && pwd)"
node=/tmp/nodebin/node
cli() { "$node" "$here/adatosk.mjs" "$@"; }
nvidia-smi -L 2>&1 | head -2
icd=$(ls /usr/local/nvidia/share/vulkan/icd.d/*.json 2>/dev/null | head -1); echo "icd: $icd"; cat "$icd" 2>/dev/null | tr -d '\n'; echo
webgpu_ok() { timeout 60 "$node" "$here/adatosk.mjs" info 2>&1 | tee /tmp/info.txt | grep -E "^ +webgpu" ; grep -qE "^ +webgpu +available" /tmp/info.txt; }
# Vulkan loader setups to try, in order: gpu-env.sh as is, then the older variable, then the driver's lib dir.
webgpu_ok || { export VK_ICD_FILENAMES="${VK_DRIVER_FILES:-$icd}"; webgpu_ok; } || { export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib:${LD_LIBRARY_PATH:-}; webgpu_ok; } || { echo "no WebGPU adapter"; cat /tmp/info.txt; exit 3; }
for preset in small base; do
  echo "== bench $preset"
  timeout 200 "$node" "$here/adatosk.mjs" bench --preset "$preset" --backend webgpu --batch-size 8 --steps 3 --json 2>&1 | tail -25
done
# The matmul kernels (docs/webgpu-matmul.md): every product of a base training step at batch 32 and 8, ours vs
# TF.js in TFLOP/s; one row per product on stderr as it goes, the JSON result last.
echo "== bench --kernels"
timeout 420 "$node" "$here/adatosk.mjs" bench --kernels --backend webgpu --steps 3 --json 2>&1 | tail -120
SH
chmod +x "$dir/bench.sh"
du -sh "$dir"
