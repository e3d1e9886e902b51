// detachMask: run the whole score computation as the forward pass of one custom op whose gradient
// is zero. Ops inside a custom op's forward are not recorded on the gradient tape, so a detached
// mask costs nothing in the backward pass and passes no gradient to features, fc_norm or classifier.
import * as tf from '@tensorflow/tfjs-core';

export function maybeDetached<T extends tf.Tensor>(detach: boolean, features: tf.Tensor3D, fn: (features: tf.Tensor3D) => T): T {
  if (!detach) return fn(features);
  const op = tf.customGrad(((f: tf.Tensor) => ({
    value: fn(f as tf.Tensor3D),
    gradFunc: () => tf.zerosLike(f),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(features) as T;
}
