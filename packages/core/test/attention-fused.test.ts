// The fused attention op of core (ops/fused/attention.ts) on the CPU: the composite against a float64
// reference (values and gradients); selfAttention's composite path bit for bit the ops it ran before
// fused kernels existed; and the gradient registered for AdaToskAttention, exercised through CPU kernels
// that implement the kernel contract with the reference (what @adatosk/webgpu does on the GPU).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from '../src/index.js';
import {
  ATTENTION_GRAD_KERNEL,
  ATTENTION_KERNEL,
  attentionComposite,
  fusedAttention,
  selfAttention,
  type AttentionParams,
} from '../src/internal.js';
import { linear, matMulPlain } from '../src/ops/index.js';
import { useBackend } from './helpers.js';
import { referenceBackward, referenceForward, type RefShape } from './attention-reference.js';

function maxRelErr(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    err = Math.max(err, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return err / scale;
}

const shapeOf = (qkv: tf.Tensor, heads: number): RefShape => {
  const [batch, tokens, packed] = qkv.shape as [number, number, number];
  const dh = packed / 3 / heads;
  return { batch, tokens, heads, dh, scale: 1 / Math.sqrt(dh) };
};

/** The op and d(qkv) for upstream gradient dy. */
function opWithGrad(qkv: tf.Tensor3D, dy: tf.Tensor3D, heads: number): { value: tf.Tensor; grad: tf.Tensor } {
  return tf.valueAndGrad((x: tf.Tensor3D) => fusedAttention(x, heads))(qkv, dy);
}

/** selfAttention as it was before fused kernels (copied from git history): the regression reference. */
function selfAttentionBefore(x: tf.Tensor3D, p: AttentionParams, numHeads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, l, d] = x.shape;
    const dh = d / numHeads;
    const q = tf.reshape(linear(x, p.query, p.queryBias), [b, l, numHeads, dh]);
    const k = tf.reshape(linear(x, p.key, p.keyBias), [b, l, numHeads, dh]);
    const v = tf.reshape(linear(x, p.value, p.valueBias), [b, l, numHeads, dh]);
    const qh = tf.transpose(tf.mul(q, 1 / Math.sqrt(dh)), [0, 2, 1, 3]);
    const kt = tf.transpose(k, [0, 2, 3, 1]);
    const vh = tf.transpose(v, [0, 2, 1, 3]);
    const probs = tf.softmax(matMulPlain(qh, kt), -1);
    const ctx = tf.transpose(matMulPlain(probs, vh), [0, 2, 1, 3]);
    return linear(tf.reshape(ctx, [b, l, d]), p.out, p.outBias) as tf.Tensor3D;
  });
}

function blockParams(width: number, keyBias: boolean, seed: number): AttentionParams {
  const w = (i: number) => tf.randomNormal([width, width], 0, 1 / Math.sqrt(width), 'float32', seed + i);
  const bias = (i: number) => tf.randomNormal([width], 0, 0.1, 'float32', seed + 10 + i);
  return {
    query: w(0),
    queryBias: bias(0),
    key: w(1),
    keyBias: keyBias ? bias(1) : undefined,
    value: w(2),
    valueBias: bias(2),
    out: w(3),
    outBias: bias(3),
  };
}

const paramList = (p: AttentionParams) =>
  [p.query, p.queryBias, p.key, p.keyBias, p.value, p.valueBias, p.out, p.outBias].filter((t): t is tf.Tensor => t !== undefined);

describe('fused attention op on the CPU (composite)', () => {
  beforeAll(() => useBackend('cpu'));

  it('has no fused kernel on cpu, and the composite matches a float64 reference: values and d(qkv)', async () => {
    expect(usesFusedKernel(ATTENTION_KERNEL)).toBe(false);
    for (const [batch, tokens, heads, dh] of [
      [1, 1, 1, 8],
      [2, 7, 3, 4],
      [1, 13, 2, 6],
    ] as const) {
      const qkv = tf.randomNormal([batch, tokens, 3 * heads * dh], 0, 1, 'float32', tokens) as tf.Tensor3D;
      const dy = tf.randomNormal([batch, tokens, heads * dh], 0, 1, 'float32', tokens + 1) as tf.Tensor3D;
      const { value, grad } = opWithGrad(qkv, dy, heads);
      const s = shapeOf(qkv, heads);
      const qv = await qkv.data();
      const ref = referenceForward(s, qv);
      expect(maxRelErr(await value.data(), ref.out)).toBeLessThan(1e-5);
      expect(maxRelErr(await grad.data(), referenceBackward(s, await dy.data(), qv, ref.out, ref.lse))).toBeLessThan(1e-5);
      tf.dispose([qkv, dy, value, grad]);
    }
  });

  it('explains a bad input', () => {
    const x = tf.zeros([1, 4, 10]) as tf.Tensor3D;
    expect(() => fusedAttention(x, 2)).toThrow(/last axis \(10\) must be 3 \* numHeads \(2\) \* headWidth/);
    expect(() => fusedAttention(tf.zeros([4, 12]) as unknown as tf.Tensor3D, 2)).toThrow(
      /must be \[batch, tokens, 3 \* heads \* headWidth\]/,
    );
    expect(() => attentionComposite(x, x, x, 2)).not.toThrow();
    x.dispose();
  });

  it('selfAttention computes bit for bit what it computed before fused kernels (forward and gradients)', async () => {
    for (const keyBias of [true, false]) {
      const p = blockParams(12, keyBias, keyBias ? 1 : 2);
      const x = tf.randomNormal([2, 9, 12], 0, 1, 'float32', 3) as tf.Tensor3D;
      const f = (fn: typeof selfAttention) =>
        tf.grads((xi: tf.Tensor, ...ps: tf.Tensor[]) => {
          let i = 0;
          const next = () => ps[i++]!;
          const q = {
            query: next(),
            queryBias: next(),
            key: next(),
            keyBias: keyBias ? next() : undefined,
            value: next(),
            valueBias: next(),
            out: next(),
            outBias: next(),
          };
          return tf.sum(tf.square(fn(xi as tf.Tensor3D, q, 3)));
        })([x, ...paramList(p)]);
      const now = f(selfAttention);
      const before = f(selfAttentionBefore);
      const [y, y0] = [selfAttention(x, p, 3), selfAttentionBefore(x, p, 3)];
      expect(Array.from(await y.data())).toEqual(Array.from(await y0.data()));
      for (let i = 0; i < now.length; i++) expect(Array.from(await now[i]!.data())).toEqual(Array.from(await before[i]!.data()));
      tf.dispose([x, y, y0, ...now, ...before, ...paramList(p)]);
    }
  });
});

describe('AdaToskAttention through kernels on the CPU (the contract @adatosk/webgpu implements)', () => {
  const read = (backend: unknown, t: tf.TensorInfo) => (backend as tf.KernelBackend).readSync(t.dataId) as Float32Array;
  const make = (backend: unknown, shape: number[], v: Float64Array) =>
    (backend as { makeTensorInfo(s: number[], d: tf.DataType, v: Float32Array): tf.TensorInfo }).makeTensorInfo(
      shape,
      'float32',
      Float32Array.from(v),
    );
  const shapeOfInfo = (qkv: tf.TensorInfo, attrs: tf.NamedAttrMap): RefShape => {
    const [batch, tokens, packed] = qkv.shape as [number, number, number];
    const heads = attrs.numHeads as number;
    return { batch, tokens, heads, dh: packed / 3 / heads, scale: attrs.scale as number };
  };
  let calls = { forward: 0, backward: 0 };

  beforeAll(async () => {
    await useBackend('cpu');
    tf.registerKernel({
      kernelName: ATTENTION_KERNEL,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        calls.forward++;
        const s = shapeOfInfo(inputs.qkv!, attrs!);
        const r = referenceForward(s, read(backend, inputs.qkv!));
        return [make(backend, [s.batch, s.tokens, s.heads * s.dh], r.out), make(backend, [s.batch, s.heads, s.tokens], r.lse)];
      },
    });
    tf.registerKernel({
      kernelName: ATTENTION_GRAD_KERNEL,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        calls.backward++;
        const s = shapeOfInfo(inputs.qkv!, attrs!);
        const g = referenceBackward(
          s,
          read(backend, inputs.dy!),
          read(backend, inputs.qkv!),
          read(backend, inputs.out!),
          read(backend, inputs.lse!),
        );
        return make(backend, inputs.qkv!.shape, g);
      },
    });
  });
  afterAll(() => {
    tf.unregisterKernel(ATTENTION_KERNEL, 'cpu');
    tf.unregisterKernel(ATTENTION_GRAD_KERNEL, 'cpu');
  });

  it('fusedAttention runs the kernel, and its registered gradient runs the gradient kernel: same as the composite', async () => {
    expect(usesFusedKernel(ATTENTION_KERNEL)).toBe(true);
    const qkv = tf.randomNormal([2, 11, 3 * 2 * 8], 0, 1, 'float32', 5) as tf.Tensor3D;
    const dy = tf.randomNormal([2, 11, 16], 0, 1, 'float32', 6) as tf.Tensor3D;
    calls = { forward: 0, backward: 0 };
    const fused = opWithGrad(qkv, dy, 2);
    expect(calls).toEqual({ forward: 1, backward: 1 });
    const [q, k, v] = tf.split(qkv, 3, 2) as tf.Tensor3D[];
    const composite = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      attentionComposite(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, 2),
    )([q!, k!, v!], dy);
    expect(maxRelErr(await fused.value.data(), await composite.value.data())).toBeLessThan(1e-5);
    expect(maxRelErr(await fused.grad.data(), await tf.concat(composite.grads, 2).data())).toBeLessThan(1e-5);
    tf.dispose([qkv, dy, fused.value, fused.grad, q!, k!, v!, composite.value, ...composite.grads]);
  });

  it('selfAttention takes the packed path (one projection) with the same values and weight gradients, without leaking', async () => {
    const p = blockParams(16, false, 7);
    const x = tf.randomNormal([1, 6, 16], 0, 1, 'float32', 8) as tf.Tensor3D;
    const g = (fn: typeof selfAttention) =>
      tf.grads((xi: tf.Tensor, ...ps: tf.Tensor[]) => {
        const [query, queryBias, key, value, valueBias, out, outBias] = ps;
        return tf.sum(
          tf.square(
            fn(xi as tf.Tensor3D, { query: query!, queryBias, key: key!, value: value!, valueBias, out: out!, outBias: outBias! }, 2),
          ),
        );
      })([x, ...paramList(p)]);
    calls = { forward: 0, backward: 0 };
    const fused = g(selfAttention);
    expect(calls).toEqual({ forward: 1, backward: 1 });
    const before = g(selfAttentionBefore);
    for (let i = 0; i < fused.length; i++) expect(maxRelErr(await fused[i]!.data(), await before[i]!.data())).toBeLessThan(1e-5);
    tf.dispose([...fused, ...before]);
    const counts: number[] = [];
    for (let step = 0; step < 5; step++) {
      tf.dispose(g(selfAttention));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    tf.dispose([x, ...paramList(p)]);
  });
});
