// Fused softmax cross-entropy with label smoothing against the composite, loss and logits gradient, on WebGPU.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@adatosk/core';
import { SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL } from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectFusedMatchesComposite, randn } from './fused-compare.js';

const CASES = [
  { batch: 1, classes: 7, smoothing: 0.1 },
  { batch: 8, classes: 7, smoothing: 0 },
  { batch: 3, classes: 11, smoothing: 0.3 },
  // More rows than the workgroup has threads, and many classes.
  { batch: 70, classes: 130, smoothing: 0.1 },
];

describeWithSystem('webgpu', 'fused softmax cross-entropy on WebGPU', () => {
  useWebGPU();
  let before = 0;
  beforeAll(() => (before = tf.memory().numTensors));
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  for (const c of CASES) {
    it(`batch ${c.batch}, ${c.classes} classes, label smoothing ${c.smoothing}`, async () => {
      const logits = randn([c.batch, c.classes], 21, 4);
      const labels = Array.from({ length: c.batch }, (_, i) => (i * 5 + 3) % c.classes);
      await expectFusedMatchesComposite((l) => softmaxCrossEntropy(l as tf.Tensor2D, labels, { labelSmoothing: c.smoothing }), [logits], {
        kernels: [SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL],
      });
      logits.dispose();
    });
  }
});
