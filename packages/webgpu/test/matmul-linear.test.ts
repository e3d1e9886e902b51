// Core's linear layer and matMulPlain on WebGPU with our kernels: the bias in the matmul epilogue and the
// gradients as transposed products (no Transpose kernel), values and gradients against float64.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps } from '@adatosk/core';
import { linear, matMulPlain, usesTransposedMatMul } from '@adatosk/core/internal';
import { resetMatMulOptions, setMatMulOptions } from '@adatosk/webgpu';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectClose, operand, referenceMatMul, type Operand } from './matmul-reference.js';

const tensorOf = (o: Operand) => tf.tensor(o.data, o.shape);

/** Kernel names run by `f`. */
async function kernelsOf(f: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(() => f());
  return info.kernelNames;
}

describeWithSystem('webgpu', 'linear layer and matMulPlain on WebGPU with our matmul kernels', () => {
  useWebGPU();
  beforeAll(() => setMatMulOptions({ mode: 'ours' }));
  afterAll(() => resetMatMulOptions());

  // x [2, 5, 24] . W [24, 36] + b; loss = sum(y * g), so dY = g.
  const x = operand([2, 5, 24], 1);
  const w = operand([24, 36], 2);
  const b = operand([36], 3);
  const g = operand([2, 5, 36], 4);
  const flat = (o: Operand, rows: number): Operand => ({ data: o.data, shape: [rows, o.shape[o.shape.length - 1]] });

  it('usesTransposedMatMul sees our kernels, and setFusedOps turns it off', () => {
    expect(usesTransposedMatMul()).toBe(true);
    setFusedOps(false, ['_FusedMatMul']);
    expect(usesTransposedMatMul()).toBe(false);
    setFusedOps(true, ['_FusedMatMul']);
    expect(usesTransposedMatMul()).toBe(true);
  });

  it('forward with the bias in the epilogue; dX = dY W^T, dW = X^T dY, db = sum dY match float64', async () => {
    const [tx, tw, tb, tg] = [tensorOf(x), tensorOf(w), tensorOf(b), tensorOf(g)];
    const y = linear(tx, tw, tb);
    expectClose(await y.data(), y.shape, { ...referenceMatMul(flat(x, 10), w, false, false, b), shape: [2, 5, 36] }, 1e-4, 'y');
    const [dx, dw, db] = tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(xs, ws, bs), tg)))([tx, tw, tb]);
    expectClose(await dx.data(), dx.shape, { ...referenceMatMul(flat(g, 10), w, false, true), shape: [2, 5, 24] }, 1e-4, 'dX');
    expectClose(await dw.data(), dw.shape, referenceMatMul(flat(x, 10), flat(g, 10), true, false), 1e-4, 'dW');
    const ones: Operand = { data: new Float32Array(10).fill(1), shape: [1, 10] };
    expectClose(await db.data(), [1, ...db.shape], referenceMatMul(ones, flat(g, 10)), 1e-4, 'db');
    const names = await kernelsOf(() => tf.grads((ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(tx, ws, bs), tg)))([tw, tb]));
    expect(names).toContain('_FusedMatMul');
    expect(names).not.toContain('Transpose');
    tf.dispose([tx, tw, tb, tg, y, dx, dw, db]);
  });

  it('inputGrad: false computes dW (and db) only, as X^T dY', async () => {
    const [tx, tw, tb, tg] = [tensorOf(x), tensorOf(w), tensorOf(b), tensorOf(g)];
    const loss = (ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(tx, ws, bs, { inputGrad: false }), tg));
    const [dw, db] = tf.grads(loss)([tw, tb]);
    expectClose(await dw.data(), dw.shape, referenceMatMul(flat(x, 10), flat(g, 10), true, false), 1e-4, 'dW');
    expect(db.shape).toEqual([36]);
    const names = await kernelsOf(() => tf.grads(loss)([tw, tb]));
    expect(names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul')).toHaveLength(2); // forward + dW, no dX
    tf.dispose([tx, tw, tb, tg, dw, db]);
  });

  it("matMulPlain's gradient on 4-D attention-like products uses transposed products, no Transpose", async () => {
    const q = operand([2, 3, 9, 8], 10);
    const k = operand([2, 3, 8, 11], 11);
    const dy = operand([2, 3, 9, 11], 12);
    const [tq, tk, tdy] = [tensorOf(q), tensorOf(k), tensorOf(dy)];
    const f = (a: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(matMulPlain(a, bb), tdy));
    const [dq, dk] = tf.grads(f)([tq, tk]);
    expectClose(await dq.data(), dq.shape, referenceMatMul(dy, k, false, true), 1e-4, 'dQ');
    expectClose(await dk.data(), dk.shape, referenceMatMul(q, dy, true, false), 1e-4, 'dK');
    expect(await kernelsOf(() => tf.grads(f)([tq, tk]))).not.toContain('Transpose');
    tf.dispose([tq, tk, tdy, dq, dk]);
  });

  it('no tensor leaks over repeated training-like steps', async () => {
    const [tx, tg] = [tensorOf(x), tensorOf(g)];
    const wv = tf.variable(tensorOf(w));
    const bv = tf.variable(tensorOf(b));
    const step = async () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(linear(tx, wv, bv), tg)) as tf.Scalar, [wv, bv]);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    };
    await step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tx, tg, wv, bv]);
  });
});
