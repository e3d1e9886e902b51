// One forward+backward of the `tiny` preset at batch 8 (classification + reconstruction losses),
// on wasm (the cpu backend is ~30x slower). Run: npx vitest bench --project core packages/core/test/backbone.bench.ts
import { bench, describe } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, resolveConfig, softmaxCrossEntropy, tokenGrid } from '@adatosk/core';
import { useBackend } from './helpers.js';

const batch = 8;
const config = resolveConfig('tiny');
const grid = tokenGrid(config);

for (const backend of ['wasm'] as const) {
  describe(`tiny, batch ${batch}, ${backend}`, async () => {
    await useBackend(backend);
    const model = createModel(config, { seed: 1 });
    const clips = tf.randomNormal([batch, config.numFrames, config.imageSize, config.imageSize, 3], 0, 1, 'float32', 3);
    const n = grid.height * grid.width;
    const hidden = Array.from({ length: batch }, () =>
      Array.from({ length: grid.tokens }, (_, i) => (i % n < Math.round(0.5 * n) ? 1 : 0)),
    );
    const labels = Array.from({ length: batch }, (_, i) => i % config.numClasses);
    const step = (kind: 'cls' | 'rec' | 'both') => {
      const { value, grads } = tf.variableGrads(() => {
        const parts: tf.Scalar[] = [];
        if (kind !== 'rec') parts.push(softmaxCrossEntropy(model.classify(clips).logits, labels));
        if (kind !== 'cls') {
          const r = model.reconstruct(clips, hidden);
          r.predictions.dispose();
          parts.push(r.loss);
        }
        return tf.addN(parts) as tf.Scalar;
      }, Object.values(model.trainableVariables));
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    const opts = { iterations: 5, warmupIterations: 1, time: 0 };
    bench('forward only (classify)', () => tf.dispose(model.classify(clips).logits.dataSync() && undefined), opts);
    bench('forward+backward: classification', () => step('cls'), opts);
    bench('forward+backward: reconstruction (50% tube mask)', () => step('rec'), opts);
    bench('forward+backward: both losses', () => step('both'), opts);
  });
}
