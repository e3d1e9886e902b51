#!/usr/bin/env node
// Kernels per AdaTosk training step and per inference batch on WebGPU, with the fused ops on and off, from
// `runBench({ profile: true })` (what `adatosk bench --profile --json` prints). Any adapter will do, SwiftShader
// included: counts are the same on every adapter, speeds are not (none are reported here).
//
//   node scripts/webgpu-kernel-counts.mjs [preset=base] [batch=8] [--full-width] > counts.json
//
// By default the preset keeps its depth and heads (every layer, every op) at narrow widths and a 4x32x32 input:
// the op graph, and so the kernel count, does not depend on widths or sizes, and SwiftShader needs over an hour
// for one profiled step of base at full width. `--full-width` runs the preset as it is (at 4x64x64).
// Needs a build: npx turbo run build --filter=@adatosk/cli...
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const full = args.includes('--full-width');
const [preset = 'base', batch = '8'] = args.filter((a) => !a.startsWith('--'));

if (process.env.ADATOSK_COUNT_CHILD) {
  const { runBench } = await import('@adatosk/cli');
  const narrow = { hiddenSize: 96, intermediateSize: 384, decoderHiddenSize: 48, decoderIntermediateSize: 192 };
  const r = await runBench({
    preset,
    backend: 'webgpu',
    batchSize: Number(batch),
    steps: 1,
    profile: true,
    json: true,
    frames: 4,
    size: full ? 64 : 32,
    overrides: full ? undefined : narrow,
    io: { out: () => {}, err: () => {} },
  });
  process.stdout.write(
    `${JSON.stringify({
      fused: process.env.ADATOSK_FUSED !== '0',
      preset,
      widths: full ? 'preset' : narrow,
      input: r.input,
      kernelsPerStep: r.profile.kernelsPerStep,
      kernelsPerInference: r.profile.kernelsPerInference,
      peakTensorMiB: r.profile.peakTensorMiB,
      kernelsByName: r.profile.kernelsByName,
    })}\n`,
  );
  process.exit(0);
}

// One process per setting: ADATOSK_FUSED is read when core loads.
const runs = ['0', '1'].map((fused) => {
  const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    env: { ...process.env, ADATOSK_FUSED: fused, ADATOSK_COUNT_CHILD: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`the count with ADATOSK_FUSED=${fused} failed:\n${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').pop());
});
console.log(JSON.stringify({ adapterNote: 'kernel counts only; run on any WebGPU adapter', runs }, null, 1));
