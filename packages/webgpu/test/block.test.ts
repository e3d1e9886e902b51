// The fused MLP (with its residual add) and a whole transformer block with the fused ops (as one lean op, and
// op by op), against the composite, values and gradients, on WebGPU: widths 48 and 65 (odd), token counts that
// fit no tile, batch 1, the legacy layout without a key bias.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { LEAN_BLOCK, setFusedOps } from '@adatosk/core';
import {
  BIAS_GELU_GRAD_KERNEL,
  BIAS_GELU_KERNEL,
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  ATTENTION_KERNEL,
  ATTENTION_GRAD_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  blockParams,
  leanBlockAvailable,
  residualMlp,
  transformerBlock,
} from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectFusedMatchesComposite, randn } from './fused-compare.js';

const CASES = [
  { b: 1, k: 7, d: 48, inter: 192, heads: 1, keyBias: true },
  { b: 2, k: 13, d: 65, inter: 130, heads: 5, keyBias: false },
  { b: 3, k: 9, d: 64, inter: 256, heads: 2, keyBias: true },
];

const BLOCK_KERNELS = [
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  ATTENTION_KERNEL,
  ATTENTION_GRAD_KERNEL,
  BIAS_GELU_KERNEL,
  BIAS_GELU_GRAD_KERNEL,
];

/** A block's parameters under HF names, seeded. */
function params(d: number, inter: number, seed: number, keyBias = true): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  let s = seed;
  const mk = (name: string, shape: number[], scale: number, offset = 0) =>
    (out[name] = tf.tidy(() => tf.add(randn(shape, s++, scale), offset)));
  for (const n of ['query', 'key', 'value']) {
    mk(`l.attention.attention.${n}.weight`, [d, d], 0.1);
    if (n !== 'key' || keyBias) mk(`l.attention.attention.${n}.bias`, [d], 0.05);
  }
  mk('l.attention.output.dense.weight', [d, d], 0.1);
  mk('l.attention.output.dense.bias', [d], 0.05);
  for (const n of ['layernorm_before', 'layernorm_after']) {
    mk(`l.${n}.weight`, [d], 0.2, 1);
    mk(`l.${n}.bias`, [d], 0.1);
  }
  mk('l.intermediate.dense.weight', [d, inter], 0.1);
  mk('l.intermediate.dense.bias', [inter], 0.05);
  mk('l.output.dense.weight', [inter, d], 0.1);
  mk('l.output.dense.bias', [d], 0.05);
  return out;
}

/** The block over `p`'s names, as a function of x and the tensors in `p`'s order. */
function blockOf(p: Record<string, tf.Tensor>, heads: number) {
  const names = Object.keys(p);
  return (x: tf.Tensor, ws: tf.Tensor[], recompute: boolean) => {
    const map = Object.fromEntries(names.map((n, i) => [n, ws[i]!]));
    const get = (n: string) => map[n]!;
    return transformerBlock(
      x as tf.Tensor3D,
      blockParams(get, (n) => n in map, 'l'),
      heads,
      1e-12,
      { recompute },
    );
  };
}

/** Profile entries (kernels, no-dispatch reshapes and copies, op scopes) of one block's forward and backward. */
async function entriesPerStep(x: tf.Tensor, p: Record<string, tf.Tensor>, heads: number): Promise<number> {
  const block = blockOf(p, heads);
  const ws = Object.values(p);
  const profile = await tf.profile(() =>
    tf.tidy(() => tf.grads((xi: tf.Tensor, ...w: tf.Tensor[]) => tf.sum(block(xi, w, false)))([x, ...ws])),
  );
  tf.dispose(profile.result as tf.Tensor[]);
  return profile.kernels.length;
}

describeWithSystem('webgpu', 'fused MLP and transformer block on WebGPU', () => {
  useWebGPU();
  let before = 0;
  beforeAll(() => (before = tf.memory().numTensors));
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  for (const c of CASES) {
    it(`residualMlp [${c.b}, ${c.k}, ${c.d}] x ${c.inter}`, async () => {
      const h = randn([c.b, c.k, c.d], 31, 1);
      const x = randn([c.b, c.k, c.d], 32, 1);
      const p = params(c.d, c.inter, 40);
      const w = ['l.intermediate.dense.weight', 'l.intermediate.dense.bias', 'l.output.dense.weight', 'l.output.dense.bias'].map(
        (n) => p[n]!,
      );
      await expectFusedMatchesComposite((hi, xi, w1, b1, w2, b2) => residualMlp(hi, xi, [w1, b1], [w2, b2]), [h, x, ...w], {
        kernels: [BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL],
      });
      tf.dispose([h, x, ...Object.values(p)]);
    });

    it(`transformer block [${c.b}, ${c.k}, ${c.d}], ${c.heads} heads${c.keyBias ? '' : ', no key bias'} (lean and op by op, with and without recomputation)`, async () => {
      const x = randn([c.b, c.k, c.d], 33, 1);
      const p = params(c.d, c.inter, 60, c.keyBias);
      const block = blockOf(p, c.heads);
      try {
        for (const lean of [true, false]) {
          setFusedOps(lean, [LEAN_BLOCK]);
          expect(leanBlockAvailable()).toBe(lean);
          for (const recompute of [false, true])
            await expectFusedMatchesComposite((xi, ...ws) => block(xi, ws, recompute), [x, ...Object.values(p)], {
              kernels: BLOCK_KERNELS,
            });
        }
      } finally {
        setFusedOps(true, [LEAN_BLOCK]);
      }
      tf.dispose([x, ...Object.values(p)]);
    });
  }

  it('the lean block runs its training step in at most 60% of the op-by-op profile entries', async () => {
    const x = randn([2, 13, 64], 5, 1);
    const p = params(64, 128, 90);
    try {
      const lean = await entriesPerStep(x, p, 4);
      setFusedOps(false, [LEAN_BLOCK]);
      const opByOp = await entriesPerStep(x, p, 4);
      console.log(`profile entries per block step: lean ${lean}, op by op ${opByOp}`);
      expect(lean).toBeLessThanOrEqual(0.6 * opByOp);
    } finally {
      setFusedOps(true, [LEAN_BLOCK]);
      tf.dispose([x, ...Object.values(p)]);
    }
  });
});
