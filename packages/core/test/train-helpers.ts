// A tiny stand-in model and dataset for training-loop tests (the real AdaTosk model is tested elsewhere).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel, TrainData, PredictingModel, LossContext } from '../src/train/index.js';
import type { EvalData } from '../src/eval/index.js';

export class StandInModel implements TrainableModel, PredictingModel {
  readonly trainableVariables: Record<string, tf.Variable>;
  readonly numLayers = 1;
  nanAtStep = -1;
  constructor(
    readonly numClasses = 3,
    seed = 1,
  ) {
    const init = (shape: number[], s: number) => tf.variable(tf.randomNormal(shape, 0, 0.3, 'float32', seed + s));
    this.trainableVariables = {
      'videomae.embeddings.patch_embeddings.projection.weight': init([3, 8], 1),
      'videomae.encoder.layer.0.output.dense.weight': init([8, 8], 2),
      'videomae.encoder.layer.0.output.dense.bias': tf.variable(tf.zeros([8])),
      'classifier.weight': init([8, numClasses], 3),
      'classifier.bias': tf.variable(tf.zeros([numClasses])),
    };
  }
  private features(clips: tf.Tensor5D): tf.Tensor2D {
    const v = this.trainableVariables;
    const pooled = tf.mean(clips, [1, 2, 3]) as tf.Tensor2D; // [B,3]
    const e = tf.matMul(pooled, v['videomae.embeddings.patch_embeddings.projection.weight']);
    return tf.relu(
      tf.add(tf.matMul(e, v['videomae.encoder.layer.0.output.dense.weight']), v['videomae.encoder.layer.0.output.dense.bias']),
    ) as tf.Tensor2D;
  }
  predictLogits(clips: tf.Tensor5D): tf.Tensor2D {
    return tf.tidy(
      () =>
        tf.add(
          tf.matMul(this.features(clips), this.trainableVariables['classifier.weight']),
          this.trainableVariables['classifier.bias'],
        ) as tf.Tensor2D,
    );
  }
  predict(clips: tf.Tensor5D) {
    const logits = this.predictLogits(clips);
    return { logits, probs: tf.softmax(logits) as tf.Tensor2D };
  }
  computeLoss(batch: { clips: tf.Tensor5D; labels: tf.Tensor1D }, ctx: LossContext) {
    // Random feature dropout from the step's rng, so determinism of the rng plumbing is tested too.
    const keep = Array.from({ length: 8 }, () => (ctx.rng.float() < 0.8 ? 1.25 : 0));
    const f = tf.mul(this.features(batch.clips), tf.tensor1d(keep));
    const logits = tf.add(tf.matMul(f, this.trainableVariables['classifier.weight']), this.trainableVariables['classifier.bias']);
    const onehot = tf.oneHot(tf.cast(batch.labels, 'int32'), this.numClasses);
    const cls = tf.mean(tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
    const rec = tf.mul(tf.mean(tf.square(this.trainableVariables['videomae.encoder.layer.0.output.dense.weight'])), 0.1) as tf.Scalar;
    let loss = tf.add(cls, rec) as tf.Scalar;
    if (ctx.step === this.nanAtStep) loss = tf.mul(loss, NaN) as tf.Scalar;
    return { loss, logs: { cls, rec } };
  }
  dispose() {
    tf.dispose(Object.values(this.trainableVariables));
  }
}

/** Class c clips are filled with colour c plus seeded noise: separable by the mean colour. */
function clipOf(label: number, seed: number): Float32Array {
  const out = new Float32Array(2 * 4 * 4 * 3);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (i % 3 === label ? 1 : 0) + (s / 4294967296 - 0.5) * 0.4;
  }
  return out;
}

export function standInData(size: number, numClasses = 3): TrainData & EvalData {
  const labels = Array.from({ length: size }, (_, i) => i % numClasses);
  return {
    size,
    numClasses,
    views: 2,
    async load(indices, ctx) {
      const data = new Float32Array(indices.length * 96);
      indices.forEach((i, k) => data.set(clipOf(labels[i], i * 31 + (ctx.seed % 1000)), k * 96));
      return {
        clips: tf.tensor5d(data, [indices.length, 2, 4, 4, 3]),
        labels: tf.tensor1d(
          indices.map((i) => labels[i]),
          'int32',
        ),
      };
    },
    async loadViews(indices) {
      const data = new Float32Array(indices.length * 2 * 96);
      indices.forEach((i, k) => {
        data.set(clipOf(labels[i], i * 7 + 100000), 2 * k * 96);
        data.set(clipOf(labels[i], i * 7 + 200000), (2 * k + 1) * 96);
      });
      return { clips: tf.tensor5d(data, [indices.length * 2, 2, 4, 4, 3]), labels: Int32Array.from(indices.map((i) => labels[i])) };
    },
  };
}
