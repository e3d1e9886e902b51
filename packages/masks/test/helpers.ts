import * as tf from '@tensorflow/tfjs-core';
import { createRng, type SoftMaskContext } from '@adatosk/core';
import { refLayerNorm } from './reference.js';

/** A test clip: features, visible tokens and a classifier, both as plain arrays and as a context. */
export interface Case {
  z: number[][][];
  tokens: number[][];
  grid: { frames: number; height: number; width: number };
  weight: number[][];
  bias: number[];
  gamma: number[];
  shift: number[];
  labels?: number[];
}

export function tfLayerNorm(gamma: number[], shift: number[], eps = 1e-5) {
  const g = tf.tensor1d(gamma);
  const b = tf.tensor1d(shift);
  return (x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
    });
}

export function contextOf(c: Case, features?: tf.Tensor3D): SoftMaskContext {
  return {
    features: features ?? tf.tensor3d(c.z),
    tokenIndices: Int32Array.from(c.tokens.flat()),
    grid: c.grid,
    classifier: { weight: tf.tensor2d(c.weight), bias: tf.tensor1d(c.bias), fcNorm: tfLayerNorm(c.gamma, c.shift) },
    labels: c.labels ? tf.tensor1d(c.labels, 'int32') : undefined,
  };
}

export function refNorm(c: Case) {
  return refLayerNorm(c.gamma, c.shift);
}

/** A random case: `batch` clips, a hard mask given as visible token lists. */
export function randomCase(seed: number, grid: Case['grid'], tokens: number[][], d = 6, classes = 4, labels?: number[]): Case {
  const rng = createRng(seed);
  const z = tokens.map((row) => row.map(() => Array.from({ length: d }, () => rng.normal())));
  return {
    z,
    tokens,
    grid,
    weight: Array.from({ length: d }, () => Array.from({ length: classes }, () => rng.normal())),
    bias: Array.from({ length: classes }, () => rng.normal()),
    gamma: Array.from({ length: d }, () => 1 + 0.3 * rng.normal()),
    shift: Array.from({ length: d }, () => 0.2 * rng.normal()),
    labels,
  };
}

export function array2d(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}
