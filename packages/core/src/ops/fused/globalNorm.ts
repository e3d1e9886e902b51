// Global L2 norm of many tensors (the gradient-clipping norm) as one kernel, instead of a square, a sum
// and an add per tensor.
import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from './dispatch.js';

/** sqrt(sum of squares) of inputs `t0` .. `t{count-1}` (any shapes), shape []; attr `count`. */
export const GLOBAL_NORM_KERNEL = 'AdaToskGlobalNorm';

/** The fused global norm, or undefined when the active backend does not have the kernel. */
export function fusedGlobalNorm(tensors: readonly tf.Tensor[]): tf.Scalar | undefined {
  if (tensors.length === 0 || !usesFusedKernel(GLOBAL_NORM_KERNEL)) return undefined;
  const inputs: tf.NamedTensorMap = {};
  tensors.forEach((t, i) => (inputs[`t${i}`] = t));
  return tf.engine().runKernel(GLOBAL_NORM_KERNEL, inputs, { count: tensors.length }) as tf.Scalar;
}
