// Fused softmax cross-entropy with label smoothing: the mean loss over the batch in one kernel, the logits'
// gradient in one kernel. The op is `softmaxCrossEntropy` in losses/.
import * as tf from '@tensorflow/tfjs-core';
import { registerFusedGradient, runGradKernel } from './grad.js';

/** Mean loss (shape []). Inputs `logits` [B, C] float32, `labels` [B] int32; attr `labelSmoothing`. */
export const SOFTMAX_CROSS_ENTROPY_KERNEL = 'AdaToskSoftmaxCrossEntropy';
/** Backward: inputs `dy` (shape []), `logits`, `labels`; attr `labelSmoothing`; returns dlogits [B, C]. */
export const SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL = 'AdaToskSoftmaxCrossEntropyGrad';

registerFusedGradient({
  kernelName: SOFTMAX_CROSS_ENTROPY_KERNEL,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, saved, attrs) => {
    const [logits, labels] = saved as [tf.Tensor, tf.Tensor];
    const [dlogits] = runGradKernel(SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, { dy: dy as tf.Tensor, logits, labels }, attrs as tf.NamedAttrMap);
    // Labels are class ids: no gradient (a zero tensor of their shape, as the tape requires one per input).
    return { logits: () => dlogits!, labels: () => tf.zeros(labels.shape) };
  },
});
