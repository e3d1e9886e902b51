// The fused attention kernels (AdaToskAttention and its gradient) on WebGPU over SwiftShader against the
// composite they replace, on the same backend: values and gradients wrt the packed q, k, v, float32,
// max error <= 1e-4 of the reference's largest magnitude, at token counts that are not multiples of a
// tile, one head, head widths 32 and 64 (and 6, 12: the scalar path and the fixture's width), batch 1.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { attentionComposite, fusedAttention, usesFusedKernel } from '@adatosk/core';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { relativeError, seeded, withoutFused } from './attention-support.js';
import { setAttentionWorkgroupBudget } from '../src/attention/tiles.js';

const TOL = 1e-4;

interface Case { batch: number; tokens: number; heads: number; dh: number }

/** Output and d(qkv) for a random upstream gradient, through the fused op or the composite. */
function run(qkv: tf.Tensor3D, w: tf.Tensor, heads: number, fused: boolean): tf.Tensor[] {
  const f = (x: tf.Tensor) => {
    if (fused) return fusedAttention(x as tf.Tensor3D, heads);
    const [q, k, v] = tf.split(x, 3, 2) as tf.Tensor3D[];
    return attentionComposite(q, k, v, heads);
  };
  const go = () => {
    const out = f(qkv);
    const g = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(f(x), w)))([qkv])[0]!;
    return [out, g];
  };
  return fused ? go() : withoutFused(go);
}

async function check({ batch, tokens, heads, dh }: Case, seed: number): Promise<void> {
  const qkv = seeded([batch, tokens, 3 * heads * dh], seed) as tf.Tensor3D;
  const w = seeded([batch, tokens, heads * dh], seed + 1);
  const [out, g] = run(qkv, w, heads, true);
  const [refOut, refG] = run(qkv, w, heads, false);
  const name = `B${batch} N${tokens} h${heads} dh${dh}`;
  expect(await relativeError(out!, refOut!), `${name}: output`).toBeLessThan(TOL);
  const parts = [tf.split(g!, 3, 2), tf.split(refG!, 3, 2)];
  for (const [i, which] of ['dQ', 'dK', 'dV'].entries())
    expect(await relativeError(parts[0]![i]!, parts[1]![i]!), `${name}: ${which}`).toBeLessThan(TOL);
  tf.dispose([qkv, w, out!, g!, refOut!, refG!, ...parts.flat()]);
}

describeWithSystem('webgpu', 'fused attention (WebGPU, SwiftShader) against the composite', () => {
  useWebGPU();

  it('runs the fused kernel when installed on webgpu', () => {
    expect(usesFusedKernel('AdaToskAttention')).toBe(true);
    expect(withoutFused(() => usesFusedKernel('AdaToskAttention'))).toBe(false);
  });

  describe('head width 64 (two threads per row in the backward)', () => {
    for (const tokens of [1, 7, 65, 80, 129])
      it(`B1, ${tokens} tokens, 1 head`, () => check({ batch: 1, tokens, heads: 1, dh: 64 }, tokens));
    it('B2, 33 tokens, 3 heads', () => check({ batch: 2, tokens: 33, heads: 3, dh: 64 }, 7));
  });

  describe('head width 32 (one thread per row)', () => {
    for (const tokens of [1, 7, 65, 129])
      it(`B1, ${tokens} tokens, 1 head`, () => check({ batch: 1, tokens, heads: 1, dh: 32 }, 100 + tokens));
    it('B2, 80 tokens, 2 heads', () => check({ batch: 2, tokens: 80, heads: 2, dh: 32 }, 9));
  });

  it('head width 12 (the fixture encoder: 4 heads) and 8 (decoder: 3 heads)', async () => {
    await check({ batch: 2, tokens: 17, heads: 4, dh: 12 }, 21);
    await check({ batch: 2, tokens: 33, heads: 3, dh: 8 }, 22);
  });

  it('head width 6: not a multiple of 4 (scalar loads and stores)', () => check({ batch: 1, tokens: 37, heads: 2, dh: 6 }, 23));

  it('head width 96: slices of 3 threads per row round up to 4, overhanging the head', () =>
    check({ batch: 1, tokens: 20, heads: 1, dh: 136 }, 24));

  it('the WebGPU minimum of 16 KiB workgroup memory (smaller tiles)', async () => {
    setAttentionWorkgroupBudget(16384);
    try {
      await check({ batch: 1, tokens: 65, heads: 2, dh: 64 }, 31);
      await check({ batch: 1, tokens: 40, heads: 1, dh: 32 }, 32);
    } finally {
      setAttentionWorkgroupBudget(undefined);
    }
  });

  it('large logits: the online softmax stays finite where exp would overflow', async () => {
    await check({ batch: 1, tokens: 50, heads: 1, dh: 32 }, 41).catch((e) => { throw e; });
    const qkv = tf.mul(seeded([1, 50, 96], 42), 30) as tf.Tensor3D;
    const w = seeded([1, 50, 32], 43);
    const [out, g] = run(qkv, w, 1, true);
    const [refOut, refG] = run(qkv, w, 1, false);
    expect(await relativeError(out!, refOut!)).toBeLessThan(TOL);
    expect(await relativeError(g!, refG!)).toBeLessThan(TOL);
    tf.dispose([qkv, w, out!, g!, refOut!, refG!]);
  });
});
