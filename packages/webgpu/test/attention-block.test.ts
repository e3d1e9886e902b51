// The whole attention block (q, k, v projections, attention, output projection) with the fused kernel
// against the composite on WebGPU over SwiftShader: the output and the gradient of every weight and of
// the input, with and without a key bias (HF's current and legacy layouts); tensors flat over repeated
// forward + backward passes; and the kernel counts of one block, which the fused kernel exists to cut.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selfAttention, transformerBlock, type AttentionParams, type BlockParams } from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { TOL, relativeError, seeded, withoutFused, withoutFusedAsync } from './attention-support.js';

const NAMES = ['x', 'query', 'queryBias', 'key', 'keyBias', 'value', 'valueBias', 'out', 'outBias'] as const;

function blockInputs(batch: number, tokens: number, width: number, keyBias: boolean, seed: number): Map<string, tf.Tensor> {
  const std = 1 / Math.sqrt(width);
  const m = new Map<string, tf.Tensor>([['x', seeded([batch, tokens, width], seed)]]);
  for (const [i, w] of ['query', 'key', 'value', 'out'].entries()) {
    m.set(w, seeded([width, width], seed + 10 + i, std));
    if (w !== 'key' || keyBias) m.set(`${w}Bias`, seeded([width], seed + 20 + i, 0.1));
  }
  return m;
}

/** The block's output and the gradient of sum(output * dy) wrt every input in `m`. */
function blockWithGrads(m: Map<string, tf.Tensor>, dy: tf.Tensor, heads: number): { out: tf.Tensor; grads: Map<string, tf.Tensor> } {
  const names = NAMES.filter((n) => m.has(n));
  const f = (...ts: tf.Tensor[]) => {
    const get = (n: string) => (names.includes(n as (typeof NAMES)[number]) ? ts[names.indexOf(n as (typeof NAMES)[number])] : undefined);
    const p: AttentionParams = {
      query: get('query')!,
      queryBias: get('queryBias'),
      key: get('key')!,
      keyBias: get('keyBias'),
      value: get('value')!,
      valueBias: get('valueBias'),
      out: get('out')!,
      outBias: get('outBias')!,
    };
    return selfAttention(get('x') as tf.Tensor3D, p, heads);
  };
  const { value, grads } = tf.valueAndGrads(f)(
    names.map((n) => m.get(n)!),
    dy as tf.Tensor3D,
  );
  return { out: value, grads: new Map(names.map((n, i) => [n, grads[i]!])) };
}

async function compareBlock(batch: number, tokens: number, width: number, heads: number, keyBias: boolean, seed: number): Promise<void> {
  const m = blockInputs(batch, tokens, width, keyBias, seed);
  const dy = seeded([batch, tokens, width], seed + 99);
  const fused = blockWithGrads(m, dy, heads);
  const ref = withoutFused(() => blockWithGrads(m, dy, heads));
  expect(await relativeError(fused.out, ref.out), 'output').toBeLessThan(TOL);
  const dbq = await ref.grads.get('queryBias')!.data();
  const scaleQ = Math.max(...Array.from(dbq, Math.abs));
  for (const [name, g] of fused.grads) {
    if (name === 'keyBias') {
      // Zero in exact arithmetic (softmax ignores a shift per row): both sides are rounding noise, which
      // is relative to the query bias's gradient, as in the HF parity suite.
      const [a, b] = await Promise.all([g.data(), ref.grads.get(name)!.data()]);
      const err = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
      expect(err, 'd keyBias').toBeLessThan(TOL * scaleQ);
      continue;
    }
    expect(await relativeError(g, ref.grads.get(name)!), `d ${name}`).toBeLessThan(TOL);
  }
  tf.dispose([...m.values(), dy, fused.out, ref.out, ...fused.grads.values(), ...ref.grads.values()]);
}

describeWithSystem('webgpu', 'attention block with the fused kernel (WebGPU, SwiftShader)', () => {
  useWebGPU();

  it('matches the composite: 2 heads of 64, 65 tokens, batch 1, with a key bias', () => compareBlock(1, 65, 128, 2, true, 1));

  it('matches the composite: 3 heads of 32, 7 tokens, batch 2, no key bias (legacy layout)', () => compareBlock(2, 7, 96, 3, false, 2));

  it('inside a recomputed transformer block (gradient checkpointing): same gradients as the composite without it', async () => {
    const width = 128;
    const m = blockInputs(1, 17, width, true, 7);
    const extra = [
      seeded([width], 50, 0.1),
      seeded([width], 51, 0.1),
      seeded([width, 2 * width], 52, 0.05),
      seeded([2 * width], 53, 0.1),
      seeded([2 * width, width], 54, 0.05),
      seeded([width], 55, 0.1),
    ];
    const ones = tf.ones([width]);
    const dy = seeded([1, 17, width], 56);
    const params = (ts: tf.Tensor[]): BlockParams => ({
      attention: {
        query: ts[0]!,
        queryBias: ts[1],
        key: ts[2]!,
        keyBias: ts[3],
        value: ts[4]!,
        valueBias: ts[5],
        out: ts[6]!,
        outBias: ts[7]!,
      },
      normBefore: [ones, ts[8]!],
      normAfter: [ones, ts[9]!],
      fc1: [ts[10]!, ts[11]!],
      fc2: [ts[12]!, ts[13]!],
    });
    const inputs = [m.get('x')!, ...NAMES.slice(1).map((n) => m.get(n)!), ...extra];
    const grads = (recompute: boolean) =>
      tf.valueAndGrads((x: tf.Tensor, ...ts: tf.Tensor[]) => transformerBlock(x as tf.Tensor3D, params(ts), 2, 1e-6, { recompute }))(
        inputs,
        dy as tf.Tensor3D,
      );
    const fused = grads(true);
    const ref = withoutFused(() => grads(false));
    expect(await relativeError(fused.value, ref.value), 'output').toBeLessThan(TOL);
    for (let i = 0; i < inputs.length; i++) {
      if (i === 4) continue; // the key bias: rounding noise on both sides (see above)
      expect(await relativeError(fused.grads[i]!, ref.grads[i]!), `gradient ${i}`).toBeLessThan(TOL);
    }
    tf.dispose([...m.values(), ...extra, ones, dy, fused.value, ref.value, ...fused.grads, ...ref.grads]);
  });

  it('keeps tf.memory().numTensors flat over 20 forward + backward passes', async () => {
    const m = blockInputs(1, 33, 64, true, 3);
    const dy = seeded([1, 33, 64], 4);
    const counts: number[] = [];
    for (let step = 0; step < 20; step++) {
      const { out, grads } = blockWithGrads(m, dy, 2);
      await out.data();
      tf.dispose([out, ...grads.values()]);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size, `numTensors per step: ${counts.join(' ')}`).toBe(1);
    tf.dispose([...m.values(), dy]);
  });

  it('runs fewer kernels per block than the composite (forward, and forward + backward)', async () => {
    const m = blockInputs(1, 20, 64, true, 5);
    const dy = seeded([1, 20, 64], 6);
    const count = async (fn: () => tf.Tensor | tf.Tensor[]) => {
      const info = await tf.profile(fn);
      tf.dispose(info.result as tf.Tensor | tf.Tensor[]);
      return info.kernels.length;
    };
    const forward = () => selfAttention(m.get('x') as tf.Tensor3D, paramsOf(m), 2);
    const training = () => {
      const { out, grads } = blockWithGrads(m, dy, 2);
      return [out, ...grads.values()];
    };
    const fused = { forward: await count(forward), training: await count(training) };
    const composite = await withoutFusedAsync(async () => ({ forward: await count(forward), training: await count(training) }));
    console.log(
      `kernels per attention block (tf.profile): forward ${composite.forward} -> ${fused.forward}, forward + backward ${composite.training} -> ${fused.training}`,
    );
    expect(fused.forward).toBeLessThan(composite.forward);
    expect(fused.training).toBeLessThan(composite.training);
    tf.dispose([...m.values(), dy]);
  });
});

function paramsOf(m: Map<string, tf.Tensor>): AttentionParams {
  return {
    query: m.get('query')!,
    queryBias: m.get('queryBias'),
    key: m.get('key')!,
    keyBias: m.get('keyBias'),
    value: m.get('value')!,
    valueBias: m.get('valueBias'),
    out: m.get('out')!,
    outBias: m.get('outBias')!,
  };
}
