// Top-k token selection by soft mask score. The kept scores are gathered with a differentiable
// gather, so a non-detached mask still receives gradient through the pooling weights.
import * as tf from '@tensorflow/tfjs-core';
import { gatherTokens } from '../ops/gather.js';

/**
 * Indices of the k largest scores per row, invisible to the gradient tape. tf.topk has no gradient,
 * and indices that trace back to a variable would put integer tensors on the gradient path. Ops
 * inside a custom op's forward pass are not recorded, and this op's only input is a constant, so
 * nothing here joins the path from the variables to the loss.
 */
function topkIndices(scores: tf.Tensor2D, k: number): tf.Tensor2D {
  const op = tf.customGrad(((anchor: tf.Tensor) => ({
    value: tf.topk(scores, k, true).indices,
    gradFunc: () => tf.zerosLike(anchor),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(tf.zeros([1])) as tf.Tensor2D;
}

export interface Selection {
  /** Kept tokens `[B, K, D]`, by descending score. */
  kept: tf.Tensor3D;
  /** Their scores `[B, K]` (pooling weights). */
  weights: tf.Tensor2D;
  /** Their positions among the visible tokens `[B, K]` int32. */
  index: tf.Tensor2D;
}

/** Number of kept tokens for `visible` tokens and keep ratio `rhoS`: `ceil(rhoS * V)`, at least 1. */
export function keptCount(visible: number, rhoS: number): number {
  // Round away float noise before ceil (0.5 * 400 must stay 200).
  return Math.min(visible, Math.max(1, Math.ceil(Number((rhoS * visible).toFixed(9)))));
}

/** Keeps the `k` tokens with the largest scores. */
export function selectTopK(features: tf.Tensor3D, scores: tf.Tensor2D, k: number): Selection {
  return tf.tidy(() => {
    const index = topkIndices(scores, k);
    const kept = gatherTokens(features, index);
    const weights = tf.reshape(gatherTokens(tf.expandDims(scores, -1), index), index.shape) as tf.Tensor2D;
    return { kept, weights, index };
  });
}
