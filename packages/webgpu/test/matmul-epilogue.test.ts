// _FusedMatMul's epilogue (bias, activations), split-K, the dot kernel, batch broadcasting and the calls
// our kernels hand to TF.js's, on WebGPU (Dawn + SwiftShader) against float64 references.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { resetMatMulOptions, setMatMulOptions, type MatMulPlanOverride } from '@adatosk/webgpu';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectClose, operand, referenceMatMul, type Operand } from './matmul-reference.js';

type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

const ACTIVATIONS: Record<Activation, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(v, 0),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  elu: (v) => (v >= 0 ? v : Math.exp(v) - 1),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  leakyrelu: (v) => (v >= 0 ? v : 0.3 * v),
};

interface Case {
  a: number[];
  b: number[];
  tA?: boolean;
  tB?: boolean;
  /** Bias shape ([N], [1] or []). */
  bias?: number[];
  activation?: Activation;
}

const tensorOf = (o: Operand) => tf.tensor(o.data, o.shape);

async function check(c: Case, seed: number, what = JSON.stringify(c)): Promise<void> {
  const a = operand(c.a, seed);
  const b = operand(c.b, seed + 1);
  const bias = c.bias ? operand(c.bias, seed + 2) : undefined;
  const act = c.activation ?? 'linear';
  const ts = [tensorOf(a), tensorOf(b), ...(bias ? [tensorOf(bias)] : [])];
  const out =
    bias || act !== 'linear'
      ? tf.fused.matMul({ a: ts[0], b: ts[1], transposeA: c.tA, transposeB: c.tB, bias: ts[2], activation: act, leakyreluAlpha: 0.3 })
      : tf.matMul(ts[0], ts[1], c.tA, c.tB);
  const ref = referenceMatMul(a, b, c.tA, c.tB, bias, ACTIVATIONS[act]);
  expectClose(await out.data(), out.shape, ref, 1e-4, what);
  tf.dispose([...ts, out]);
}

async function withPlan(plan: MatMulPlanOverride, body: () => Promise<void>): Promise<void> {
  setMatMulOptions({ plan });
  try {
    await body();
  } finally {
    setMatMulOptions({ plan: undefined });
  }
}

const T32: MatMulPlanOverride = { kind: 'tiled', tile: 't32x32' };

describeWithSystem('webgpu', 'matmul epilogue, split-K, dot kernel and broadcasting on WebGPU', () => {
  useWebGPU();
  beforeAll(() => setMatMulOptions({ mode: 'ours' }));
  afterAll(() => resetMatMulOptions());

  it('bias in the epilogue: [N] as vec4 and as scalars, and a scalar bias', () =>
    withPlan(T32, async () => {
      await check({ a: [37, 24], b: [24, 44], bias: [44] }, 1);
      await check({ a: [24, 37], b: [45, 24], tA: true, tB: true, bias: [45] }, 2);
      await check({ a: [37, 24], b: [24, 44], bias: [1] }, 3);
    }));

  it('every activation of tf.fused.matMul except prelu', () =>
    withPlan(T32, async () => {
      let seed = 10;
      for (const activation of ['relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const)
        await check({ a: [33, 20], b: [20, 36], bias: [36], activation }, seed++);
    }));

  it('split-K: partial products in slices of K, summed with bias and activation by the reduce pass', () =>
    withPlan({ kind: 'tiled', tile: 't32x32', splitK: 3 }, async () => {
      await check({ a: [40, 100], b: [100, 36], bias: [36], activation: 'relu' }, 20);
      await check({ a: [101, 41], b: [37, 101], tA: true, tB: true, bias: [37] }, 21);
      // K = 20 is two slices of 16: three requested splits become two.
      await check({ a: [9, 20], b: [20, 12] }, 22);
      // Batched, transposed A (no folding).
      await check({ a: [3, 50, 9], b: [3, 50, 8], tA: true }, 23);
    }));

  it('dot kernel (workgroup-memory reduction): tiny outputs over a long K, bias and activation', () =>
    withPlan({ kind: 'dot' }, async () => {
      await check({ a: [5, 300], b: [300, 7], bias: [7], activation: 'elu' }, 30);
      await check({ a: [300, 5], b: [7, 300], tA: true, tB: true }, 31);
      await check({ a: [2, 3, 1], b: [2, 1, 9] }, 32);
    }));

  it('batch dims: shared, broadcast from one matrix (folded into rows or not), rank 4', () =>
    withPlan(T32, async () => {
      await check({ a: [2, 3, 17, 12], b: [12, 20] }, 40); // B broadcast, A folded into 102 rows
      await check({ a: [17, 12], b: [4, 12, 20] }, 41); // A broadcast
      await check({ a: [1, 17, 12], b: [3, 12, 20] }, 42);
      await check({ a: [3, 12, 17], b: [1, 12, 20], tA: true }, 43); // B broadcast, A transposed: not folded
      await check({ a: [2, 3, 12, 17], b: [2, 3, 20, 12], tA: true, tB: true }, 44);
      await check({ a: [2, 3, 17, 12], b: [12, 20], bias: [20], activation: 'relu' }, 45);
    }));

  it('hands other calls to TF.js: rank 5, int32, prelu', async () => {
    await check({ a: [2, 1, 2, 5, 4], b: [2, 1, 2, 4, 3] }, 50);
    const ai = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const bi = tf.tensor2d([1, 0, 2, 1, 0, 3], [3, 2], 'int32');
    const prod = tf.matMul(ai, bi);
    expect(prod.dtype).toBe('int32');
    expect(Array.from(await prod.data())).toEqual([5, 11, 14, 23]);
    const a = tf.tensor2d([1, -2, 3, -4], [2, 2]);
    const alpha = tf.tensor1d([0.5, 0.25]);
    const pre = tf.fused.matMul({ a, b: tf.eye(2), activation: 'prelu', preluActivationWeights: alpha });
    expect(Array.from(await pre.data())).toEqual([1, -0.5, 3, -1]);
    tf.dispose([ai, bi, prod, a, alpha, pre]);
  });

  it('leaves no tensors or backend buffers behind (split-K disposes its partial sums)', () =>
    withPlan({ kind: 'tiled', tile: 't32x32', splitK: 2 }, async () => {
      const a = tf.ones([40, 300]);
      const b = tf.ones([300, 8]);
      const bias = tf.ones([8]);
      const once = async () => {
        const y = tf.fused.matMul({ a, b, bias });
        await y.data();
        y.dispose();
      };
      await once();
      const before = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
      const dataIds = tf.engine().backend.numDataIds();
      for (let i = 0; i < 3; i++) await once();
      const after = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
      expect(after.numTensors).toBe(before.numTensors);
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
      tf.dispose([a, b, bias]);
    }));
});
