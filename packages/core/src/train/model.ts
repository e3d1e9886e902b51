// The structural contract the training loop needs from a model (the AdaTosk model satisfies it).
import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/index.js';

export interface TrainBatch {
  /** [B, T, H, W, 3], normalised. */
  clips: tf.Tensor5D;
  /** [B] int32 class indices. */
  labels: tf.Tensor1D;
}

/** Per-step context handed to the model's loss: a seeded generator and the global step. */
export interface LossContext {
  rng: Rng;
  step: number;
}

export interface LossOutput {
  loss: tf.Scalar;
  logs: { cls: tf.Scalar; rec: tf.Scalar };
}

export interface TrainableModel {
  /** Parameters by Hugging Face-style name (encoder layer index parsed for layer-wise LR decay). */
  readonly trainableVariables: Record<string, tf.Variable>;
  /** Number of encoder blocks. */
  readonly numLayers: number;
  /** Called inside `tf.variableGrads`. */
  computeLoss(batch: TrainBatch, ctx: LossContext): LossOutput;
}

export interface PredictingModel {
  predict(clips: tf.Tensor5D): { logits: tf.Tensor2D; probs: tf.Tensor2D };
}

/** Where training batches come from. `load` must be deterministic in (indices, seed). */
export interface TrainData {
  readonly size: number;
  load(indices: number[], ctx: { epoch: number; seed: number }): Promise<TrainBatch>;
  /**
   * Optional hint: the loop will `load(indices, ctx)` next, so start on it now (decoding and uploading
   * overlap the current step). Called before the loop waits for the current batch.
   */
  prefetch?(indices: number[], ctx: { epoch: number; seed: number }): void;
}
