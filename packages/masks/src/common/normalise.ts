// Per-clip normalisations with the SPEC's edge cases. Branches are blended with 0/1 indicators from
// tf.step (which has a gradient) instead of tf.where on a comparison (Greater/Equal have none), and
// every division has a denominator that cannot be 0, so neither pass produces NaN.
import * as tf from '@tensorflow/tfjs-core';

/** `(x - mean) / (std + eps)` over axis 1, population statistics (SPEC: eps = 1e-6). */
export function standardiseRows(x: tf.Tensor2D, eps = 1e-6): tf.Tensor2D {
  const mean = tf.mean(x, 1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), 1, true);
  // sqrt has an infinite slope at 0: a zero variance takes sqrt(1) * 0 instead.
  const positive = tf.step(variance);
  const std = tf.mul(tf.sqrt(tf.add(variance, tf.sub(1, positive))), positive);
  return tf.div(centred, tf.add(std, eps)) as tf.Tensor2D;
}

/** Min-max to [0, 1] over axis 1; a constant row becomes all ones. */
export function minMaxRows(x: tf.Tensor2D): tf.Tensor2D {
  const min = tf.min(x, 1, true);
  const range = tf.sub(tf.max(x, 1, true), min);
  const constant = tf.sub(1, tf.step(range));
  const scaled = tf.div(tf.sub(x, min), tf.add(range, constant));
  return tf.add(tf.mul(scaled, tf.sub(1, constant)), constant) as tf.Tensor2D;
}

/** Divides each row by its maximum; a constant row (an all-zero one included) becomes all ones. */
export function maxNormRows(x: tf.Tensor2D): tf.Tensor2D {
  const max = tf.max(x, 1, true);
  const constant = tf.sub(1, tf.step(tf.sub(max, tf.min(x, 1, true))));
  const scaled = tf.div(x, tf.add(max, constant));
  return tf.add(tf.mul(scaled, tf.sub(1, constant)), constant) as tf.Tensor2D;
}

/** `x^p` for x >= 0 with 0^p = 0 (p > 0) and a finite gradient at 0. */
export function safePow(x: tf.Tensor2D, p: number): tf.Tensor2D {
  if (p === 1) return x;
  if (p === 0) return tf.onesLike(x);
  const positive = tf.step(x);
  return tf.mul(tf.pow(tf.add(x, tf.sub(1, positive)), p), positive) as tf.Tensor2D;
}
