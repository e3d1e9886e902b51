import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows of each batch item: x [B, L, D], index int32 [B, K] -> [B, K, D]. The gradient is a
 * scatter-add (ScatterNd) instead of tf.gather's UnsortedSegmentSum, which the wasm backend lacks.
 */
export function gatherTokens(x: tf.Tensor, index: tf.Tensor): tf.Tensor3D {
  if (x.rank !== 3) throw new Error(`gatherTokens: x must be [batch, tokens, dim], got [${x.shape}]`);
  if (index.rank !== 2 || index.shape[0] !== x.shape[0])
    throw new Error(`gatherTokens: index must be [batch=${x.shape[0]}, k], got [${index.shape}]`);
  const [b, l, d] = x.shape as [number, number, number];
  const k = index.shape[1]!;
  return tf.tidy(() => {
    const offsets = tf.reshape(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(l, 'int32')), [b, 1]);
    const flat = tf.reshape(tf.add(tf.cast(index, 'int32'), offsets), [b * k]);
    const rows = tf.reshape(x, [b * l, d]);
    const op = tf.customGrad(((src: tf.Tensor, idx: tf.Tensor, save: tf.GradSaveFunc) => {
      save([idx]);
      return {
        value: tf.reshape(tf.gather(src, idx, 0), [b, k, d]),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = Array.isArray(dy) ? dy[0] : dy;
          const at = tf.reshape(saved[0], [b * k, 1]);
          return [tf.scatterND(at, tf.reshape(g, [b * k, d]), [b * l, d]), tf.zerosLike(saved[0])];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return op(rows, flat) as tf.Tensor3D;
  });
}
