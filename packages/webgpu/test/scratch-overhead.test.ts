import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, globalNormTensor } from '@adatosk/core';
import { describeWithSystem, useWebGPU } from './webgpu.js';
describeWithSystem('webgpu', 'overhead', () => {
  useWebGPU();
  it('adamw dispatch cost', async () => {
    const n = 265;
    const params = Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, tf.variable(tf.zeros([64]), true, `ov${i}_${Math.random()}`)]));
    const groups = Object.fromEntries(Object.keys(params).map((k) => [k, { lrScale: 1, decay: true }]));
    const opt = new AdamW(params, groups);
    const grads = Object.fromEntries(Object.keys(params).map((k) => [k, tf.ones([64])]));
    for (let r = 0; r < 5; r++) {
      const norm = globalNormTensor(grads);
      const t0 = performance.now();
      opt.step(grads, 1e-3, { norm, maxNorm: 1 });
      const t1 = performance.now();
      await params.p0!.data();
      const t2 = performance.now();
      console.log(`step ${r}: encode ${(t1 - t0).toFixed(1)} ms (${((t1 - t0) * 1000 / (3 * n)).toFixed(1)} us/dispatch), finish ${(t2 - t1).toFixed(1)} ms`);
      norm.dispose();
    }
  }, 600_000);
});
