// Fused LayerNorm (over the last axis) and LayerNorm of a residual sum. Forward: one kernel; the residual
// form also writes the sum, which the block's residual stream goes on with. Backward: one kernel for the
// input, weight and bias gradients. The composites are exactly what the model computed before.
import * as tf from '@tensorflow/tfjs-core';
import { layerNorm as layerNormComposite } from '../layerNorm.js';
import { fusedOrComposite } from './dispatch.js';
import { pairAvailable, registerFusedGradient, runGradKernel } from './grad.js';

/** y = LN(x) * weight + bias. Inputs `x`, `weight`, `bias`; attr `eps`. */
export const LAYER_NORM_KERNEL = 'AdaToskLayerNorm';
/** [sum, y] with sum = x + residual, y = LN(sum) * weight + bias. Inputs `x`, `residual`, `weight`, `bias`; attr `eps`. */
export const ADD_LAYER_NORM_KERNEL = 'AdaToskAddLayerNorm';
/**
 * Backward of both: inputs `dy` (of y), `x` (what was normalised), `weight`, and `dsum` (gradient reaching the
 * sum output, residual form only; added to the input gradient); attr `eps`. Returns [dx, dweight, dbias] (the weight gradients shaped as `weight`).
 */
export const LAYER_NORM_GRAD_KERNEL = 'AdaToskLayerNormGrad';

/** LayerNorm over the last axis (biased variance, as PyTorch), fused where the backend has the kernels. */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  if (!pairAvailable(LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL)) return layerNormComposite(x, weight, bias, eps);
  checkWidth('layerNorm', x, weight, bias);
  return fusedOrComposite(LAYER_NORM_KERNEL, { x, weight, bias }, { eps }, () => layerNormComposite(x, weight, bias, eps));
}

/**
 * `sum = x + residual` and `LN(sum) * weight + bias` in one pass (pre-norm blocks: the residual stream
 * and the next sub-layer's input). Both results are new tensors.
 */
export function addLayerNorm(
  x: tf.Tensor,
  residual: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor,
  eps: number,
): { sum: tf.Tensor; normed: tf.Tensor } {
  if (x.shape.join() !== residual.shape.join()) throw new Error(`addLayerNorm: x [${x.shape}] and residual [${residual.shape}] differ`);
  if (pairAvailable(ADD_LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL)) {
    checkWidth('addLayerNorm', x, weight, bias);
    const [sum, normed] = tf.engine().runKernel(ADD_LAYER_NORM_KERNEL, { x, residual, weight, bias }, { eps }) as tf.Tensor[];
    return { sum: sum!, normed: normed! };
  }
  const sum = tf.add(x, residual);
  return { sum, normed: layerNormComposite(sum, weight, bias, eps) };
}

function checkWidth(op: string, x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): void {
  const d = x.shape[x.rank - 1];
  if (weight.size !== d || bias.size !== d)
    throw new Error(`${op}: weight [${weight.shape}] and bias [${bias.shape}] must have ${d} values (the last axis of x [${x.shape}])`);
}

registerFusedGradient({
  kernelName: LAYER_NORM_KERNEL,
  inputsToSave: ['x', 'weight'],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight] = saved as [tf.Tensor, tf.Tensor];
    const [dx, dw, db] = runGradKernel(LAYER_NORM_GRAD_KERNEL, { dy: dy as tf.Tensor, x, weight }, attrs as tf.NamedAttrMap);
    return { x: () => dx!, weight: () => dw!, bias: () => db! };
  },
});

registerFusedGradient({
  kernelName: ADD_LAYER_NORM_KERNEL,
  inputsToSave: ['weight'],
  outputsToSave: [true, false],
  gradFunc: (dys, saved, attrs) => {
    const [dsum, dy] = dys as tf.Tensor[];
    const [weight, sum] = saved as [tf.Tensor, tf.Tensor];
    const [dx, dw, db] = runGradKernel(LAYER_NORM_GRAD_KERNEL, { dy: dy!, x: sum, weight, dsum: dsum! }, attrs as tf.NamedAttrMap);
    // Both summands get the same gradient; a second tensor (sharing the data), as the tape disposes each once.
    return { x: () => dx!, residual: () => tf.clone(dx!), weight: () => dw!, bias: () => db! };
  },
});
