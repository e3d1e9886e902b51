// TF.js has no stopGradient op; an identity whose gradient is zero does the job, so a detached
// mask passes no gradient back into the encoder.
import * as tf from '@tensorflow/tfjs-core';

let detach: ((x: tf.Tensor) => tf.Tensor) | undefined;

/** Identity in the forward pass, zero gradient in the backward pass. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  // Built on first use, so importing core touches no tf engine state.
  detach ??= tf.customGrad((...inputs) => {
    const input = inputs[0] as tf.Tensor;
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
  }) as (x: tf.Tensor) => tf.Tensor;
  return detach(x) as T;
}
