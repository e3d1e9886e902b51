import * as tf from '@tensorflow/tfjs-core';
import { fusedOrComposite, usesFusedKernel } from '../ops/fused/dispatch.js';
import { SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL } from '../ops/fused/crossEntropy.js';

/**
 * Mean softmax cross-entropy over the batch, with PyTorch's label smoothing: the target is
 * (1 - eps) one-hot + eps / C. `labels` are class ids (int32 tensor or numbers). Runs as one fused
 * kernel (and one for its gradient) where the backend has them.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D | ArrayLike<number>,
  options: { labelSmoothing?: number } = {},
): tf.Scalar {
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1)) throw new Error(`labelSmoothing must be in [0, 1), got ${eps}`);
  const [b, c] = logits.shape;
  return tf.tidy(() => {
    const ids = labels instanceof tf.Tensor ? tf.cast(labels, 'int32') : tf.tensor1d(Array.from(labels), 'int32');
    if (ids.shape[0] !== b) throw new Error(`softmaxCrossEntropy: ${ids.shape[0]} labels for a batch of ${b}`);
    const composite = () => {
      const target = tf.add(tf.mul(tf.oneHot(ids, c), 1 - eps), eps / c);
      const logp = tf.logSoftmax(logits, -1);
      return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), -1))) as tf.Scalar;
    };
    if (!usesFusedKernel(SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL)) return composite();
    return fusedOrComposite(SOFTMAX_CROSS_ENTROPY_KERNEL, { logits, labels: ids }, { labelSmoothing: eps }, composite);
  });
}
