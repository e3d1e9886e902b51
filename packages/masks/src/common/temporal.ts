// The temporal measurements shared by the dynamic and the similar masks: each visible token's
// cosine similarity to its predecessor (or, for the dynamic mask, successor when it has none).
import * as tf from '@tensorflow/tfjs-core';
import { temporalNeighbours, type SoftMaskContext, type TemporalNeighbours } from '@adatosk/core';
import { gatherRows } from './gather.js';

/** `cos(u, v) = u.v / (|u| |v| + eps)` (SPEC: eps = 1e-8). */
export const COS_EPS = 1e-8;

export interface TemporalCosines {
  neighbours: TemporalNeighbours;
  /** Flat `[B*V]` feature rows `[B*V, D]`. */
  rows: tf.Tensor2D;
  /** cos to the predecessor, `[B*V]`; 0 where a token has none. */
  cosPred: tf.Tensor1D;
  /** 1 where a token has a predecessor, `[B*V]`. */
  hasPred: tf.Tensor1D;
  /** cos to the predecessor, else the successor, `[B*V]`; 0 where a token has neither. */
  cosRef: tf.Tensor1D;
  /** 1 where a token has a predecessor or a successor, `[B*V]`. */
  hasRef: tf.Tensor1D;
  /** Predecessor row per token with self for none (safe gather indices), `[B*V]`. */
  predIndex: tf.Tensor1D;
}

/** Measures temporal similarity on `features` (call inside tf.tidy). */
export function temporalCosines(context: SoftMaskContext, features: tf.Tensor3D = context.features): TemporalCosines {
  const [b, v, d] = features.shape;
  const neighbours = temporalNeighbours(context.tokenIndices, b, context.grid);
  const { predecessor, successor } = neighbours;
  const total = b * v;
  const predSafe = new Int32Array(total);
  const refSafe = new Int32Array(total);
  const hasPred = new Float32Array(total);
  const hasRef = new Float32Array(total);
  for (let i = 0; i < total; i++) {
    const ref = predecessor[i] >= 0 ? predecessor[i] : successor[i];
    predSafe[i] = predecessor[i] >= 0 ? predecessor[i] : i;
    refSafe[i] = ref >= 0 ? ref : i;
    hasPred[i] = predecessor[i] >= 0 ? 1 : 0;
    hasRef[i] = ref >= 0 ? 1 : 0;
  }
  const rows = tf.reshape(features, [total, d]) as tf.Tensor2D;
  const norms = tf.sqrt(tf.sum(tf.square(rows), -1)) as tf.Tensor1D;
  const predIndex = tf.tensor1d(predSafe, 'int32');
  const refIndex = tf.tensor1d(refSafe, 'int32');
  const cosine = (index: tf.Tensor1D): tf.Tensor1D => {
    const other = gatherRows(rows, index);
    const dot = tf.sum(tf.mul(rows, other), -1);
    const denominator = tf.add(tf.mul(norms, gatherRows(norms, index)), COS_EPS);
    return tf.div(dot, denominator) as tf.Tensor1D;
  };
  const hasPredT = tf.tensor1d(hasPred);
  const hasRefT = tf.tensor1d(hasRef);
  return {
    neighbours,
    rows,
    cosPred: tf.mul(cosine(predIndex), hasPredT),
    hasPred: hasPredT,
    cosRef: tf.mul(cosine(refIndex), hasRefT),
    hasRef: hasRefT,
    predIndex,
  };
}
