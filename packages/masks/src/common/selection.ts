// Shared by the baseline selections: the golden-ratio sequence and token positions as a tensor.
import * as tf from '@tensorflow/tfjs-core';

/** The fractional part of the golden ratio, (sqrt(5) - 1) / 2. */
export const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/** fract((t + 1) * phi) in [0, 1): the highest k of these are evenly spread over t, for any k. */
export function evenSpreadScore(token: number): number {
  const x = (token + 1) * GOLDEN_FRACTION;
  return x - Math.floor(x);
}

/** Token indices `[B*V]` as a float tensor `[B, V]`. */
export function tokenIndexTensor(tokenIndices: Int32Array, batch: number, visible: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(tokenIndices), [batch, visible]);
}
