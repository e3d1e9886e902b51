// UAR / WAR / per-class recall / confusion matrix, exactly as MAE-DFER and DFER-CLIP compute them.
import type { EvalMetrics } from '../events/types.js';

export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  if (labels.length !== predictions.length) {
    throw new Error(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  }
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = predictions[i];
    if (!(y >= 0 && y < numClasses) || !(p >= 0 && p < numClasses)) {
      throw new Error(`confusionMatrix: sample ${i} has label ${y} / prediction ${p} outside 0..${numClasses - 1}`);
    }
    cm[y][p] += 1;
  }
  return cm;
}

/** Metrics from a confusion matrix. UAR averages over classes that have samples (all do on the real splits). */
export function metricsFromConfusion(cm: number[][]): EvalMetrics {
  const perClassRecall = cm.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n === 0 ? NaN : row[i] / n;
  });
  const present = perClassRecall.filter((r) => !Number.isNaN(r));
  const total = cm.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const diag = cm.reduce((a, row, i) => a + row[i], 0);
  return {
    uar: present.length ? present.reduce((a, b) => a + b, 0) / present.length : NaN,
    war: total ? diag / total : NaN,
    perClassRecall,
    confusion: cm,
    count: total,
  };
}

export function computeMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): EvalMetrics {
  return metricsFromConfusion(confusionMatrix(labels, predictions, numClasses));
}

/** Argmax of each row of a row-major [n, c] probability table. */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  const n = probs.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Mean and (population) standard deviation of per-fold values. */
export function summarize(values: number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}
