import * as tf from '@tensorflow/tfjs-core';

/**
 * Channels-last clips [B, T, H, W, C] -> tubelet rows [B, L, t*p*p*C], tokens temporal-major
 * (tau*N + n, n row-major) and values ordered (tubelet, patch row, patch col, channel), HF's order.
 * Two rank-4 transposes instead of one rank-8 one (high-rank transposes are slow on wasm).
 */
export function patchify(clips: tf.Tensor, tubelet: number, patch: number): tf.Tensor3D {
  if (clips.rank !== 5) throw new Error(`clips must be [batch, frames, height, width, channels], got shape [${clips.shape}]`);
  const [b, t, h, w, c] = clips.shape;
  if (t % tubelet !== 0) throw new Error(`clips have ${t} frames, not a multiple of tubeletSize ${tubelet}`);
  if (h % patch !== 0 || w % patch !== 0) throw new Error(`clips are ${h}x${w}, not a multiple of patchSize ${patch}`);
  const tp = t / tubelet;
  const hp = h / patch;
  const wp = w / patch;
  return tf.tidy(() => {
    // (b tau) (dt) (hp) (py w c) -> (b tau) (hp) (dt) (py w c)
    const a = tf.transpose(tf.reshape(clips, [b * tp, tubelet, hp, patch * w * c]), [0, 2, 1, 3]);
    // (b tau hp) (dt py) (wp) (px c) -> (b tau hp) (wp) (dt py) (px c)
    const s = tf.transpose(tf.reshape(a, [b * tp * hp, tubelet * patch, wp, patch * c]), [0, 2, 1, 3]);
    return tf.reshape(s, [b, tp * hp * wp, tubelet * patch * patch * c]);
  });
}
