// `adatosk bench --profile`: kernel counts, GPU times and peak memory, on WASM and on WebGPU with the fused ops.
import { expect, it } from 'vitest';
import { runBench } from '../src/commands/bench.js';
import { captureIo as io } from '../src/io.js';
import { describeWithSystem } from '../../../tests/support/system.js';

it('profiles a step and an inference batch (WASM, reduced input)', async () => {
  const r = await runBench({
    preset: 'tiny',
    backend: 'wasm',
    frames: 4,
    size: 32,
    batchSize: 2,
    steps: 1,
    profile: true,
    json: true,
    io: io(),
  });
  expect(r.input).toEqual({ frames: 4, size: 32, batchSize: 2 });
  const p = r.profile!;
  expect(p.kernelsPerStep).toBeGreaterThan(p.kernelsPerInference);
  expect(Object.values(p.kernelsByName.step).reduce((a, b) => a + b, 0)).toBe(p.kernelsPerStep);
  expect(Object.values(p.kernelsByName.inference).reduce((a, b) => a + b, 0)).toBe(p.kernelsPerInference);
  expect(p.gpuMsByKernel).toBeNull(); // no GPU
  expect(p.peakTensorMiB).toBeGreaterThan(0);
  expect(r.memory.budget?.source).toBe('device: the 4 GiB WebAssembly heap');
}, 600_000);

describeWithSystem('webgpu', 'bench --profile on WebGPU', () => {
  it('counts the fused kernels, GPU time by kernel and GPU memory', async () => {
    const r = await runBench({
      preset: 'tiny',
      backend: 'webgpu',
      frames: 4,
      size: 32,
      batchSize: 2,
      steps: 1,
      profile: true,
      json: true,
      io: io(),
    });
    const p = r.profile!;
    // selectDevice installs main's attention kernels and the fused ops together.
    for (const k of [
      'AdaToskAttention',
      'AdaToskAttentionGrad',
      'AdaToskAdamW',
      'AdaToskGlobalNorm',
      'AdaToskLayerNormGrad',
      'AdaToskBiasGeluGrad',
      'AdaToskSoftmaxCrossEntropyGrad',
    ])
      expect(p.kernelsByName.step[k], k).toBeGreaterThan(0);
    expect(p.kernelsByName.step['AdaToskAdamW']).toBe(1);
    expect(p.peakGpuMiB).toBeGreaterThan(0);
    // SwiftShader has timestamp queries; an adapter without them gives null.
    if (p.gpuMsByKernel) expect(Object.keys(p.gpuMsByKernel)).toContain('AdaToskAdamW');
  }, 1_800_000);
});
