import * as tf from '@tensorflow/tfjs-core';

/** ImageNet statistics used by VideoMAE to un-normalise the input before building the target. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * HF's `norm_pix_loss` target: each channel of each patch normalised separately over its
 * `t*p*p` pixels with the unbiased variance, (x - mean) / (sqrt(var) + 1e-6).
 * `patches` [B, K, t*p*p*C] in (pixel, channel) order -> same shape.
 */
export function normalizePatches(patches: tf.Tensor3D, channels: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, k, pd] = patches.shape;
    const n = pd / channels;
    if (n < 2) throw new Error(`normalizePatches: a patch needs at least 2 pixels for an unbiased variance, got ${n}`);
    const x = tf.reshape(patches, [b, k, n, channels]);
    const mean = tf.mean(x, 2, true);
    const centred = tf.sub(x, mean);
    const variance = tf.div(tf.sum(tf.square(centred), 2, true), n - 1);
    return tf.reshape(tf.div(centred, tf.add(tf.sqrt(variance), 1e-6)), [b, k, pd]) as tf.Tensor3D;
  });
}

/** Mean squared error over every hidden token and value (HF's MSELoss). */
export function reconstructionMSE(predictions: tf.Tensor, target: tf.Tensor): tf.Scalar {
  if (predictions.shape.join() !== target.shape.join())
    throw new Error(`reconstructionMSE: predictions [${predictions.shape}] and target [${target.shape}] differ`);
  return tf.tidy(() => tf.mean(tf.squaredDifference(predictions, target)) as tf.Scalar);
}

/** Undo ImageNet normalisation of channels-last clips [..., 3]. */
export function unnormalizeClips(clips: tf.Tensor): tf.Tensor {
  const c = clips.shape[clips.rank - 1];
  if (c !== 3) throw new Error(`cannot un-normalise ${c}-channel clips with ImageNet statistics (need 3 channels)`);
  // On [N, 3]: tfjs-backend-webgpu 4.22 emits invalid WGSL for a rank-5 binary op against a small tensor.
  return tf.tidy(() => {
    const flat = tf.reshape(clips, [-1, 3]);
    const out = tf.add(tf.mul(flat, tf.tensor1d(IMAGENET_STD as unknown as number[])), tf.tensor1d(IMAGENET_MEAN as unknown as number[]));
    return tf.reshape(out, clips.shape);
  });
}
