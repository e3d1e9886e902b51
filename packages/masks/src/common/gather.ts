// Row gather whose gradient is a scatter-add (ScatterNd): tf.gather's own gradient needs
// UnsortedSegmentSum, which the wasm backend lacks, and these gathers sit on the gradient path
// whenever a mask is computed with detachMask: false.
import * as tf from '@tensorflow/tfjs-core';

/** `x[index]` along axis 0 for `x` [R] or [R, D] and int32 `index` [K]. */
export function gatherRows<T extends tf.Tensor1D | tf.Tensor2D>(x: T, index: tf.Tensor1D): T {
  const shape = x.shape.slice() as number[];
  const k = index.shape[0];
  const op = tf.customGrad(((src: tf.Tensor, idx: tf.Tensor, save: tf.GradSaveFunc) => {
    save([idx]);
    return {
      value: tf.gather(src, idx, 0),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = Array.isArray(dy) ? dy[0] : dy;
        return [tf.scatterND(tf.reshape(saved[0], [k, 1]), g, shape), tf.zerosLike(saved[0])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, index) as T;
}
