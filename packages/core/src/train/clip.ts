import * as tf from '@tensorflow/tfjs-core';

/** Global L2 norm of all gradients, as a number (one device read). */
export function globalNorm(grads: Record<string, tf.Tensor>): number {
  const list = Object.values(grads);
  if (list.length === 0) return 0;
  const sq = tf.tidy(() => tf.addN(list.map((g) => tf.sum(tf.square(g)))) as tf.Scalar);
  const value = sq.dataSync()[0];
  sq.dispose();
  return Math.sqrt(value);
}

/**
 * Scales gradients so their global norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_). Returns new tensors
 * (the caller disposes both sets) or the same record when no clipping was needed.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, norm: number, maxNorm: number): Record<string, tf.Tensor> {
  const scale = maxNorm / (norm + 1e-6);
  if (!(scale < 1)) return grads;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
  return out;
}
