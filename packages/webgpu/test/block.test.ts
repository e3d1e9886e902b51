// The fused MLP (with its residual add) and a whole transformer block with the fused ops, against the
// composite, values and gradients, on WebGPU: widths 48 and 65 (odd), token counts that fit no tile, batch 1.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  BIAS_GELU_GRAD_KERNEL,
  BIAS_GELU_KERNEL,
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  blockParams,
  residualMlp,
  transformerBlock,
} from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectFusedMatchesComposite, randn } from './fused-compare.js';

const CASES = [
  { b: 1, k: 7, d: 48, inter: 192, heads: 1 },
  { b: 2, k: 13, d: 65, inter: 130, heads: 5 },
  { b: 3, k: 9, d: 64, inter: 256, heads: 2 },
];

/** A block's parameters under HF names, seeded. */
function params(d: number, inter: number, seed: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  let s = seed;
  const mk = (name: string, shape: number[], scale: number, offset = 0) =>
    (out[name] = tf.tidy(() => tf.add(randn(shape, s++, scale), offset)));
  for (const n of ['query', 'key', 'value']) {
    mk(`l.attention.attention.${n}.weight`, [d, d], 0.1);
    mk(`l.attention.attention.${n}.bias`, [d], 0.05);
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

    it(`transformer block [${c.b}, ${c.k}, ${c.d}], ${c.heads} heads (with and without recomputation)`, async () => {
      const x = randn([c.b, c.k, c.d], 33, 1);
      const p = params(c.d, c.inter, 60);
      const names = Object.keys(p);
      for (const recompute of [false, true]) {
        await expectFusedMatchesComposite(
          (xi, ...ws) => {
            const map = Object.fromEntries(names.map((n, i) => [n, ws[i]!]));
            return transformerBlock(
              xi as tf.Tensor3D,
              blockParams(
                (n) => map[n]!,
                (n) => n in map,
                'l',
              ),
              c.heads,
              1e-12,
              { recompute },
            );
          },
          [x, ...names.map((n) => p[n]!)],
          { kernels: [LAYER_NORM_KERNEL, ADD_LAYER_NORM_KERNEL, BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL] },
        );
      }
      tf.dispose([x, ...Object.values(p)]);
    });
  }
});
