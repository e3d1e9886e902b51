import * as tf from '@tensorflow/tfjs-core';
import { layerNorm } from '../ops/fused/layerNorm.js';
import { linear } from '../ops/linear.js';

/** LayerNorm eps of `fc_norm` and the decoder's final norm: HF builds them with PyTorch's default. */
export const HEAD_NORM_EPS = 1e-5;

/**
 * Token pooling for the classifier: the plain mean (HF with use_mean_pooling), a weighted mean
 * sum(w x) / sum(w) when `weights` [B, K] is given, or the first token (HF without mean pooling).
 */
export function poolTokens(x: tf.Tensor3D, useMeanPooling: boolean, weights?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (weights) {
      const w = tf.expandDims(weights, -1);
      return tf.div(tf.sum(tf.mul(x, w), 1), tf.add(tf.sum(w, 1), 1e-12)) as tf.Tensor2D;
    }
    if (useMeanPooling) return tf.mean(x, 1) as tf.Tensor2D;
    const [b, , d] = x.shape;
    return tf.reshape(tf.slice(x, [0, 0, 0], [b, 1, d]), [b, d]) as tf.Tensor2D;
  });
}

/** fc_norm (when present) then the linear classifier (weight stored [D, C]). */
export function classifierHead(
  pooled: tf.Tensor2D,
  norm: [tf.Tensor, tf.Tensor] | undefined,
  weight: tf.Tensor,
  bias: tf.Tensor,
): tf.Tensor2D {
  return tf.tidy(() => linear(norm ? layerNorm(pooled, norm[0], norm[1], HEAD_NORM_EPS) : pooled, weight, bias) as tf.Tensor2D);
}
