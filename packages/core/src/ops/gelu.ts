import * as tf from '@tensorflow/tfjs-core';

/**
 * Exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), as PyTorch's nn.GELU() (not the tanh
 * approximation). Built from tf.erf, which has a registered gradient and kernels on cpu, wasm,
 * webgl and webgpu, so autodiff gives Phi(x) + x phi(x).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}
