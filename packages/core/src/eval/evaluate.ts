// The reference test protocol: several views per clip (MAE-DFER: 2 temporal windows x 2 crops), softmax averaged
// over the views, argmax, then UAR/WAR.
import * as tf from '@tensorflow/tfjs-core';
import type { EvalMetrics } from '../events/types.js';
import type { PredictingModel } from '../train/model.js';
import { argmaxRows, computeMetrics } from './metrics.js';

/** Test data: each sample yields `views` clips (same label). */
export interface EvalData {
  readonly size: number;
  readonly numClasses: number;
  /** Views per sample (e.g. 4 = 2 clips x 2 crops). */
  readonly views: number;
  /** Clips of `indices`, sample-major: [indices.length * views, T, H, W, 3], plus their labels. */
  loadViews(indices: number[]): Promise<{ clips: tf.Tensor5D; labels: Int32Array }>;
}

export interface EvaluateOptions {
  /** Samples per forward pass (each brings `views` clips). */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluateResult extends EvalMetrics {
  /** Averaged probabilities, row-major [size, numClasses]. */
  probs: Float32Array;
  labels: Int32Array;
  predictions: Int32Array;
}

export async function evaluate(model: PredictingModel, data: EvalData, opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  const bs = Math.max(1, opts.batchSize ?? 4);
  const C = data.numClasses;
  const V = data.views;
  const probs = new Float32Array(data.size * C);
  const labels = new Int32Array(data.size);
  let loss = 0;
  for (let start = 0; start < data.size; start += bs) {
    if (opts.signal?.aborted) throw new Error('evaluation aborted');
    const indices = Array.from({ length: Math.min(bs, data.size - start) }, (_, i) => start + i);
    const { clips, labels: lab } = await data.loadViews(indices);
    const avg = tf.tidy(() => {
      const out = model.predict(clips);
      const p = tf.reshape(out.probs, [indices.length, V, C]);
      tf.dispose(out.logits);
      return tf.mean(p, 1);
    });
    clips.dispose();
    const values = (await avg.data()) as Float32Array;
    avg.dispose();
    probs.set(values, start * C);
    labels.set(lab, start);
    for (let i = 0; i < indices.length; i++) loss -= Math.log(Math.max(values[i * C + lab[i]], 1e-12));
    opts.onProgress?.(start + indices.length, data.size);
  }
  const predictions = argmaxRows(probs, C);
  const metrics = computeMetrics(labels, predictions, C);
  return { ...metrics, loss: loss / Math.max(1, data.size), probs, labels, predictions };
}
