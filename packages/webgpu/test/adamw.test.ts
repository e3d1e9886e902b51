// The fused AdamW (with the global-norm clip folded in) and the fused global norm against the composite on
// WebGPU, and against today's AdamW on the CPU backend (float32 rounding apart).
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AdamW, setFusedOps, usesFusedKernel, type ParamGroup } from '@adatosk/core';
import { ADAMW_KERNEL, GLOBAL_NORM_KERNEL, globalNormTensor } from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';

// Odd sizes, a vector past one workgroup, and more tensors than one dispatch may bind (groups of 7).
const SHAPES: number[][] = [[48], [65, 3], [384, 7], [1100], [7, 11, 2], [1], [300], [5, 5], [129], [64, 64], [3]];

function seeded(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

const names = SHAPES.map((_, i) => `p${i}`);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const groups: Record<string, ParamGroup> = Object.fromEntries(names.map((n, i) => [n, { lrScale: 0.5 + 0.1 * i, decay: i % 3 !== 0 }]));

interface Run {
  values: Float32Array[];
  norms: number[];
}

/** Steps of AdamW on the active backend from fixed values and gradients; returns params, moments and norms. */
async function run(steps: number, maxNorm: number | undefined): Promise<Run> {
  const params = Object.fromEntries(
    names.map((n, i) => [
      n,
      tf.tidy(() => tf.variable(tf.tensor(seeded(size(SHAPES[i]!), 1 + i, 0.05), SHAPES[i]), true, `${n}_${Math.random()}`)),
    ]),
  );
  const opt = new AdamW(params, groups, { weightDecay: 0.05 });
  const norms: number[] = [];
  for (let s = 0; s < steps; s++) {
    const grads = Object.fromEntries(names.map((n, i) => [n, tf.tensor(seeded(size(SHAPES[i]!), 100 * s + i, 0.3 + s), SHAPES[i])]));
    const norm = globalNormTensor(grads);
    norms.push((await norm.data())[0]!);
    opt.step(grads, 1e-3 * (s + 1), maxNorm === undefined ? undefined : { norm, maxNorm });
    tf.dispose([norm, ...Object.values(grads)]);
  }
  const state = await opt.readState();
  const values: Float32Array[] = [];
  for (const n of names) values.push((await params[n]!.data()) as Float32Array, state.m[n]!, state.v[n]!);
  opt.dispose();
  tf.dispose(Object.values(params));
  return { values, norms };
}

function maxRelative(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    let err = 0;
    let scale = 0;
    for (let i = 0; i < y.length; i++) {
      err = Math.max(err, Math.abs(x[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(y[i]!));
    }
    worst = Math.max(worst, scale > 0 ? err / scale : err);
  });
  return worst;
}

describeWithSystem('webgpu', 'fused AdamW and global norm on WebGPU', () => {
  useWebGPU();
  let before = 0;
  beforeAll(() => (before = tf.memory().numTensors));
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  it('uses the fused kernels on WebGPU', () => {
    expect(usesFusedKernel(ADAMW_KERNEL)).toBe(true);
    expect(usesFusedKernel(GLOBAL_NORM_KERNEL)).toBe(true);
  });

  for (const maxNorm of [undefined, 1e9, 0.5]) {
    it(`matches the composite on WebGPU and AdamW on the CPU (clip ${maxNorm ?? 'off'})`, async () => {
      const fused = await run(4, maxNorm);
      setFusedOps(false);
      const composite = await run(4, maxNorm);
      setFusedOps(true);
      await tf.setBackend('cpu');
      const cpu = await run(4, maxNorm);
      await tf.setBackend('webgpu');
      // The clip really clips in the 0.5 case.
      if (maxNorm === 0.5) expect(Math.min(...cpu.norms)).toBeGreaterThan(0.5);
      fused.norms.forEach((n, i) => expect(Math.abs(n - cpu.norms[i]!) / cpu.norms[i]!).toBeLessThan(1e-6));
      expect(maxRelative(fused.values, composite.values)).toBeLessThan(1e-6);
      expect(maxRelative(fused.values, cpu.values)).toBeLessThan(1e-6);
    });
  }

  it('the global norm of no tensors is 0, of one tensor its L2 norm', async () => {
    const empty = globalNormTensor({});
    expect((await empty.data())[0]).toBe(0);
    const t = tf.tensor1d([3, 4]);
    const one = globalNormTensor({ t });
    expect((await one.data())[0]).toBeCloseTo(5, 6);
    tf.dispose([empty, t, one]);
  });
});
