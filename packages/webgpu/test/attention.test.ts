// The fused attention kernels (AdaToskAttention and its gradient) on WebGPU over SwiftShader against the
// composite they replace, on the same backend: values and gradients wrt q, k and v (packed), float32,
// max error <= 1e-4 of the reference's largest magnitude, at token counts that are not multiples of a
// tile (the tiles hold 32 or 64 rows), one head, head widths 64 and 32, batch 1.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from '@adatosk/core';
import { fusedAttention } from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { checkAttention, seeded, withoutFused } from './attention-support.js';

describeWithSystem('webgpu', 'fused attention (WebGPU, SwiftShader) against the composite', () => {
  useWebGPU();

  it('runs one forward and one gradient kernel where the composite ran a dozen', async () => {
    expect(usesFusedKernel('AdaToskAttention')).toBe(true);
    expect(withoutFused(() => usesFusedKernel('AdaToskAttention'))).toBe(false);
    const qkv = seeded([1, 9, 3 * 2 * 8], 1) as tf.Tensor3D;
    const info = await tf.profile(() => tf.grads((x: tf.Tensor) => tf.sum(fusedAttention(x as tf.Tensor3D, 2)))([qkv])[0]);
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain('AdaToskAttention');
    expect(names).toContain('AdaToskAttentionGrad');
    expect(names).not.toContain('Softmax');
    expect(names).not.toContain('BatchMatMul');
    tf.dispose([qkv, info.result as tf.Tensor]);
  });

  it('reads and writes flat rows [B * N, 3D] with attribute tokens: the same values and gradient as [B, N, 3D]', async () => {
    const [batch, tokens, heads, dh] = [3, 11, 2, 32];
    const qkv = seeded([batch, tokens, 3 * heads * dh], 3) as tf.Tensor3D;
    const dy = seeded([batch, tokens, heads * dh], 4);
    const attrs = { numHeads: heads, scale: 0.2 };
    const run = (x: tf.Tensor, g: tf.Tensor, extra: tf.NamedAttrMap) =>
      tf.tidy(() => {
        const [out, lse] = tf.engine().runKernel('AdaToskAttention', { qkv: x }, { ...attrs, ...extra }) as tf.Tensor[];
        const dqkv = tf
          .engine()
          .runKernel('AdaToskAttentionGrad', { dy: g, qkv: x, out: out!, lse: lse! }, { ...attrs, ...extra }) as tf.Tensor;
        return [out!, lse!, dqkv];
      });
    const cube = run(qkv, dy, {});
    const rows = run(tf.reshape(qkv, [batch * tokens, -1]), tf.reshape(dy, [batch * tokens, -1]), { tokens });
    expect(rows.map((t) => t.shape)).toEqual([
      [batch * tokens, heads * dh],
      [batch, heads, tokens],
      [batch * tokens, 3 * heads * dh],
    ]);
    for (let i = 0; i < 3; i++) expect(Array.from(await rows[i]!.data())).toEqual(Array.from(await cube[i]!.data()));
    expect(() =>
      tf.tidy(() => tf.engine().runKernel('AdaToskAttention', { qkv: tf.reshape(qkv, [batch * tokens, -1]) }, { ...attrs, tokens: 4 })),
    ).toThrow(/attribute tokens \(tokens per clip, dividing 33\)/);
    tf.dispose([qkv, dy, ...cube, ...rows]);
  });

  describe('head width 64 (two threads share a row in the backward)', () => {
    for (const tokens of [1, 7, 65, 80, 129])
      it(`B1, ${tokens} tokens, 1 head`, () => checkAttention({ batch: 1, tokens, heads: 1, dh: 64 }, tokens));
    it('B2, 33 tokens, 3 heads', () => checkAttention({ batch: 2, tokens: 33, heads: 3, dh: 64 }, 7));
  });

  describe('head width 32 (one thread per row)', () => {
    for (const tokens of [1, 7, 65, 129])
      it(`B1, ${tokens} tokens, 1 head`, () => checkAttention({ batch: 1, tokens, heads: 1, dh: 32 }, 100 + tokens));
    it('B2, 80 tokens, 2 heads', () => checkAttention({ batch: 2, tokens: 80, heads: 2, dh: 32 }, 9));
  });
});
