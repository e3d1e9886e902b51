// The subgroup path of the dot kernel (one subgroupAdd per workgroup) on a WebGPU device created with
// `subgroups` (registerWebGPUBackendWithKernelFeatures). SwiftShader reports one subgroup size, 4.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectDevice } from '@adatosk/backend-node';
import {
  adapterProfile,
  describeMatMul,
  getMatMulOptions,
  installWebGPUKernels,
  planMatMul,
  registerWebGPUBackendWithKernelFeatures,
  resetMatMulOptions,
  setMatMulOptions,
} from '@adatosk/webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { describeWithSystem } from './webgpu.js';
import { expectClose, operand, referenceMatMul } from './matmul-reference.js';

describeWithSystem('webgpu', 'matmul kernels on a WebGPU device with subgroups', () => {
  beforeAll(async () => {
    await selectDevice('webgpu');
    await expect(registerWebGPUBackendWithKernelFeatures()).rejects.toThrow(/already initialised/);
    await registerWebGPUBackendWithKernelFeatures({ replace: true });
    await tf.setBackend('webgpu');
    installWebGPUKernels();
    setMatMulOptions({ mode: 'ours' });
  });
  afterAll(() => resetMatMulOptions());

  it('the device has subgroups and the planner sends tiny outputs over a long K to the subgroup dot kernel', () => {
    const profile = adapterProfile(tf.backend() as unknown as WebGPUBackend);
    expect(profile.subgroups).toBe(true);
    expect(profile.subgroupSize).toBeGreaterThanOrEqual(4);
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    const c = describeMatMul({ a: info([8, 768]), b: info([768, 7]), transposeA: false, transposeB: false });
    if (!c.ok) throw new Error(c.reason);
    expect(planMatMul(c.problem, profile, getMatMulOptions())).toEqual({ kind: 'dot', threads: profile.subgroupSize, subgroup: true });
  });

  it('subgroupAdd reductions match float64 (classifier-like, transposed, with bias and activation)', async () => {
    setMatMulOptions({ plan: { kind: 'dot' } });
    try {
      const cases = [
        { a: [8, 768], b: [768, 7], tA: false, tB: false, bias: true },
        { a: [300, 5], b: [9, 300], tA: true, tB: true, bias: false },
        { a: [3, 4, 130], b: [3, 130, 2], tA: false, tB: false, bias: false },
      ];
      let seed = 1;
      for (const c of cases) {
        const a = operand(c.a, seed++);
        const b = operand(c.b, seed++);
        const n = c.tB ? c.b[c.b.length - 2] : c.b[c.b.length - 1];
        const bias = c.bias ? operand([n], seed++) : undefined;
        const ts = [tf.tensor(a.data, a.shape), tf.tensor(b.data, b.shape), ...(bias ? [tf.tensor(bias.data, bias.shape)] : [])];
        const out = bias
          ? tf.fused.matMul({ a: ts[0], b: ts[1], transposeA: c.tA, transposeB: c.tB, bias: ts[2], activation: 'sigmoid' })
          : tf.matMul(ts[0], ts[1], c.tA, c.tB);
        const ref = referenceMatMul(a, b, c.tA, c.tB, bias, bias ? (v) => 1 / (1 + Math.exp(-v)) : undefined);
        expectClose(await out.data(), out.shape, ref, 1e-4, JSON.stringify(c));
        tf.dispose([...ts, out]);
      }
    } finally {
      setMatMulOptions({ plan: undefined });
    }
  });
});
