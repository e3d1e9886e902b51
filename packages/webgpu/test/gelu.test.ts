// Fused bias + exact GELU against the composite (linear's bias add, then gelu), values and gradients, on WebGPU.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL, biasGelu } from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectFusedMatchesComposite, randn } from './fused-compare.js';

const SHAPES: number[][] = [
  [1, 7, 48],
  [2, 13, 65],
  [1, 5, 384],
  [3, 17, 3072],
  [130, 200],
  [4, 1536],
];

describeWithSystem('webgpu', 'fused bias + GELU on WebGPU', () => {
  useWebGPU();
  let before = 0;
  beforeAll(() => (before = tf.memory().numTensors));
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  for (const shape of SHAPES) {
    it(`biasGelu [${shape}]`, async () => {
      const d = shape[shape.length - 1]!;
      // Values across GELU's curved part and both tails.
      const x = randn(shape, 11, 2.5);
      const b = randn([d], 12, 0.5);
      await expectFusedMatchesComposite((xi, bi) => biasGelu(xi, bi), [x, b], { kernels: [BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL] });
      tf.dispose([x, b]);
    });
  }
});
