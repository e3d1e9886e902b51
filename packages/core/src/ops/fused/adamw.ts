// AdamW for every parameter in one kernel (with the global-norm clip folded in), for `AdamW.step`.
import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from './dispatch.js';

/**
 * One AdamW update of `count` parameters. Inputs `p{i}`, `g{i}`, `m{i}`, `v{i}` (parameter, gradient, moments)
 * and, when `maxNorm` > 0, `norm` (the gradients' global norm, shape []): gradients are scaled by
 * min(1, maxNorm / (norm + 1e-6)) first. Attrs: `count`, `beta1`, `beta2`, `epsilon`, `sqrtBc2`
 * (sqrt of the second moment's bias correction), `maxNorm`, and per parameter `decayFactor` (1 - lr * wd, or
 * 1) and `stepSize` (lr / bc1). Returns the new parameters, first moments and second moments, in that order.
 */
export const ADAMW_KERNEL = 'AdaToskAdamW';

/** Per-step constants of one parameter. */
export interface AdamWParamStep {
  p: tf.Tensor;
  g: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
  decayFactor: number;
  stepSize: number;
}

export interface AdamWHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** sqrt(1 - beta2^t). */
  sqrtBc2: number;
  /** Global-norm clip: the norm tensor and the bound (omit for no clipping). */
  clip?: { norm: tf.Tensor; maxNorm: number };
}

/** Whether the active backend runs AdamW as a fused kernel. */
export function usesFusedAdamW(): boolean {
  return usesFusedKernel(ADAMW_KERNEL);
}

/** Runs the fused update; returns [p', m', v'] per parameter, in the order given. */
export function fusedAdamW(params: readonly AdamWParamStep[], h: AdamWHyper): { p: tf.Tensor; m: tf.Tensor; v: tf.Tensor }[] {
  const inputs: tf.NamedTensorMap = {};
  params.forEach((x, i) => {
    inputs[`p${i}`] = x.p;
    inputs[`g${i}`] = x.g;
    inputs[`m${i}`] = x.m;
    inputs[`v${i}`] = x.v;
  });
  if (h.clip) inputs.norm = h.clip.norm;
  const attrs = {
    count: params.length,
    beta1: h.beta1,
    beta2: h.beta2,
    epsilon: h.epsilon,
    sqrtBc2: h.sqrtBc2,
    maxNorm: h.clip ? h.clip.maxNorm : 0,
    decayFactor: params.map((x) => x.decayFactor),
    stepSize: params.map((x) => x.stepSize),
  };
  const out = tf.engine().runKernel(ADAMW_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const n = params.length;
  return params.map((_, i) => ({ p: out[i]!, m: out[n + i]!, v: out[2 * n + i]! }));
}
