#!/usr/bin/env bash
# Kernel counts and peak tensor memory of one AdaTosk training step and one inference batch on WebGPU, with
# the fused ops on and off (ADATOSK_FUSED=0), from `adatosk bench --profile --json`. Any adapter will do,
# SwiftShader included (its counts are valid, its speeds are not). Writes one JSON array to stdout:
#   bash scripts/webgpu-kernel-counts.sh [preset] [batch] [frames] [size] > counts.json
# Needs a build (npx turbo run build --filter=@adatosk/cli...).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-base} batch=${2:-8} frames=${3:-4} size=${4:-64}
run() {
  ADATOSK_FUSED=$1 node packages/cli/bin/adatosk.js bench --preset "$preset" --backend webgpu --batch-size "$batch" \
    --frames "$frames" --size "$size" --steps 1 --profile --json 2>/dev/null | tail -1
}
on=$(run 1)
off=$(run 0)
node -e '
const [on, off] = process.argv.slice(1).map((s) => JSON.parse(s));
const pick = (r, fused) => ({ fused, preset: r.preset, input: r.input, kernelsPerStep: r.profile.kernelsPerStep,
  kernelsPerInference: r.profile.kernelsPerInference, peakTensorMiB: r.profile.peakTensorMiB, peakGpuMiB: r.profile.peakGpuMiB,
  memoryBudget: r.memory.budget, kernelsByName: r.profile.kernelsByName });
console.log(JSON.stringify([pick(off, false), pick(on, true)], null, 1));
' "$on" "$off"
