// Gradients of fused kernels: registered in core for the kernel name (backend-agnostic), they run the
// backward kernel by name on whatever backend ran the forward one.
import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from './dispatch.js';

/** Registers `config` unless a gradient is already registered for its kernel (a second copy of core). */
export function registerFusedGradient(config: tf.GradConfig): void {
  if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
}

/** Runs a backward kernel that returns several tensors. */
export function runGradKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] {
  const out = tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/**
 * The op of a fused kernel pair runs fused only when both the forward and the backward kernel are available,
 * so turning either off (`setFusedOps(false, [name])`) falls back to the composite as a whole.
 */
export function pairAvailable(forward: string, backward: string): boolean {
  return usesFusedKernel(forward) && usesFusedKernel(backward);
}
