// The fused attention at the shapes and limits beside the model's own: the fixture model's head widths
// (12 and 8), a width that is not a multiple of 4 (scalar loads), one whose backward slices overhang the
// head, the WebGPU minimum of 16 KiB workgroup memory (smaller tiles), and logits large enough that a
// softmax without the running maximum would overflow.
import { afterEach, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { TOL, attentionWithGrad, checkAttention, relativeError, seeded } from './attention-support.js';
import { setAttentionWorkgroupBudget } from '../src/attention/tiles.js';

describeWithSystem('webgpu', 'fused attention (WebGPU, SwiftShader): widths, limits and large logits', () => {
  useWebGPU();
  afterEach(() => setAttentionWorkgroupBudget(undefined));

  it('head width 12 (the fixture encoder: 4 heads) and 8 (its decoder: 3 heads)', async () => {
    await checkAttention({ batch: 2, tokens: 17, heads: 4, dh: 12 }, 21);
    await checkAttention({ batch: 2, tokens: 33, heads: 3, dh: 8 }, 22);
  });

  it('head width 6: not a multiple of 4 (scalar loads and stores)', () => checkAttention({ batch: 1, tokens: 37, heads: 2, dh: 6 }, 23));

  it('head width 36: two slices of 5 vec4s overhang the 9 of the head', () =>
    checkAttention({ batch: 1, tokens: 20, heads: 1, dh: 36 }, 24));

  it('16 KiB of workgroup memory (the WebGPU minimum): smaller tiles, same results', async () => {
    setAttentionWorkgroupBudget(16384);
    await checkAttention({ batch: 1, tokens: 65, heads: 2, dh: 64 }, 31);
  });

  it('zero tokens: empty output and gradient, no dispatch', async () => {
    const qkv = tf.zeros([2, 0, 3 * 2 * 8]) as tf.Tensor3D;
    const dy = tf.zeros([2, 0, 16]);
    const [out, g] = attentionWithGrad(qkv, dy, 2, true);
    expect(out.shape).toEqual([2, 0, 16]);
    expect(g.shape).toEqual([2, 0, 48]);
    expect((await g.data()).length).toBe(0);
    tf.dispose([qkv, dy, out, g]);
  });

  it('logits of magnitude ~100 (exp overflows past 88) stay finite with the running maximum, and match', async () => {
    const qkv = seeded([1, 50, 96], 42, 12) as tf.Tensor3D;
    const dy = seeded([1, 50, 32], 43);
    const [out, g] = attentionWithGrad(qkv, dy, 1, true);
    const [refOut, refG] = attentionWithGrad(qkv, dy, 1, false);
    expect(await relativeError(out, refOut)).toBeLessThan(TOL);
    expect(await relativeError(g, refG)).toBeLessThan(TOL);
    tf.dispose([qkv, dy, out, g, refOut, refG]);
  });
});
