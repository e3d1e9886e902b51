// Fused bias + exact GELU: y = GELU(x + bias), forward in one kernel and backward (input and bias
// gradients) in one kernel. The composite is what the model computed before: linear's bias add, then gelu.
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../gelu.js';
import { fusedOrComposite } from './dispatch.js';
import { pairAvailable, registerFusedGradient, runGradKernel } from './grad.js';

/** y = GELU(x + bias) (bias over the last axis). Inputs `x`, `bias`. */
export const BIAS_GELU_KERNEL = 'AdaToskBiasGelu';
/** Backward: inputs `dy`, `x`, `bias`; returns [dx, dbias] (dbias shaped as `bias`). */
export const BIAS_GELU_GRAD_KERNEL = 'AdaToskBiasGeluGrad';

/** Exact (erf) GELU of `x + bias`, fused where the backend has the kernels. */
export function biasGelu(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const d = x.shape[x.rank - 1];
  if (bias.size !== d) throw new Error(`biasGelu: bias [${bias.shape}] must have ${d} values (the last axis of x [${x.shape}])`);
  if (!pairAvailable(BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL)) return tf.tidy(() => gelu(tf.add(x, bias)));
  return fusedOrComposite(BIAS_GELU_KERNEL, { x, bias }, {}, () => tf.tidy(() => gelu(tf.add(x, bias))));
}

registerFusedGradient({
  kernelName: BIAS_GELU_KERNEL,
  inputsToSave: ['x', 'bias'],
  gradFunc: (dy, saved) => {
    const [x, bias] = saved as [tf.Tensor, tf.Tensor];
    const [dx, db] = runGradKernel(BIAS_GELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x, bias }, {});
    return { x: () => dx!, bias: () => db! };
  },
});
