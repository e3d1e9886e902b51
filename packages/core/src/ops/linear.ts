import * as tf from '@tensorflow/tfjs-core';
import { matMulPlain } from './matmul.js';

/**
 * y = x W (+ b) on the last axis, with W stored [in, out] so the forward product is a plain matMul
 * (transposed products are the slow paths on wasm). With `inputGrad: false` (x is data, e.g. the
 * pixel patches) the backward pass computes only dW, skipping a product as large as the forward one.
 */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor, options: { inputGrad?: boolean } = {}): tf.Tensor {
  return tf.tidy(() => {
    const inDim = weight.shape[0];
    const outDim = weight.shape[1]!;
    if (x.shape[x.rank - 1] !== inDim)
      throw new Error(`linear: input width ${x.shape[x.rank - 1]} does not match weight [${weight.shape}]`);
    const flat = tf.reshape(x, [-1, inDim]);
    const product = options.inputGrad === false ? matMulWeightOnly(flat, weight) : matMulPlain(flat, weight);
    const y = bias ? tf.add(product, bias) : product;
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}

/** x @ w with a gradient for w only (x is treated as a constant). */
function matMulWeightOnly(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((weight: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.matMul(x, weight),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(tf.transpose(saved[0]), dy)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(w);
}
