// Fused LayerNorm (plain and with the residual add) against the composite, values and gradients, on WebGPU.
import { afterAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  ADD_LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  addLayerNorm,
  fusedLayerNorm as layerNorm,
} from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectFusedMatchesComposite, randn } from './fused-compare.js';

// Widths 48, 65, 384, 768 and one past 1024 (the widest workgroup); token counts that are not multiples of
// anything; batch 1.
const SHAPES: number[][] = [
  [1, 7, 48],
  [2, 13, 65],
  [1, 5, 384],
  [3, 17, 768],
  [2, 3, 1100],
  [9, 96],
];

describeWithSystem('webgpu', 'fused LayerNorm on WebGPU', () => {
  useWebGPU();
  const before = { n: 0 };
  afterAll(() => expect(tf.memory().numTensors).toBe(before.n));

  it('counts tensors', () => {
    before.n = tf.memory().numTensors;
  });

  for (const shape of SHAPES) {
    const d = shape[shape.length - 1]!;
    it(`layerNorm [${shape}]`, async () => {
      const x = randn(shape, 1, 3);
      const w = tf.tidy(() => tf.add(randn([d], 2, 0.5), 1));
      const b = randn([d], 3, 0.2);
      await expectFusedMatchesComposite((xi, wi, bi) => layerNorm(xi, wi, bi, 1e-12), [x, w, b], {
        kernels: [LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL],
      });
      tf.dispose([x, w, b]);
    });
    it(`addLayerNorm [${shape}] (sum and normalised output)`, async () => {
      const x = randn(shape, 4, 2);
      const r = randn(shape, 5, 1);
      const w = tf.tidy(() => tf.add(randn([d], 6, 0.5), 1));
      const b = randn([d], 7, 0.2);
      await expectFusedMatchesComposite(
        (xi, ri, wi, bi) => {
          const { sum, normed } = addLayerNorm(xi, ri, wi, bi, 1e-5);
          return [sum, normed];
        },
        [x, r, w, b],
        { kernels: [ADD_LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL] },
      );
      tf.dispose([x, r, w, b]);
    });
  }
});
