// Contracts for mask strategies. Implementations live in @adatosk/masks or in user code;
// core only defines the shapes and calls strategies through the registry.
import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/index.js';
import type { TokenGrid } from '../config/index.js';

/**
 * The token grid a mask works on: temporal slots `T'` and patch rows/columns `H/p x W/p`
 * (the first three fields of the config's `TokenGrid`, so `tokenGrid(config)` can be passed as is).
 */
export type MaskGrid = Pick<TokenGrid, 'frames' | 'height' | 'width'>;

/**
 * A binary mask over the `T'*N` tokens of each clip (1 = hidden), row-major `[batch, tokens]`.
 * Every sample hides the same number of tokens (`hidden`), so visible tokens stack into `[B, V, D]`.
 */
export interface HardMask {
  readonly batch: number;
  /** `T' * N`. */
  readonly tokens: number;
  /** Hidden tokens per sample. */
  readonly hidden: number;
  /** 0/1 values, `batch * tokens` long, token order temporal-major (`tau * N + n`). */
  readonly data: Uint8Array;
}

/** Arguments of {@link HardMaskStrategy.sample}. */
export interface HardMaskRequest {
  batch: number;
  grid: MaskGrid;
  /** Fraction of tokens to hide, `0 <= ratio < 1`. */
  ratio: number;
  /** Source of randomness (ignored when `deterministic`). */
  rng: Rng;
  /** Inference: a fixed, spatially even pattern instead of a random draw. */
  deterministic?: boolean;
}

/** A hard (binary) mask strategy: `(batch, grid, ratio, rng) -> [batch, T'*N]` 0/1 mask. */
export interface HardMaskStrategy {
  readonly kind: 'hard';
  readonly name: string;
  sample(request: HardMaskRequest): HardMask;
}

/** The classifier a soft mask may consult (the class-semantic mask needs it). */
export interface SoftMaskClassifier {
  /** Linear weight, `[D, C]` (input-major, so `x.matMul(weight)` gives logits). */
  weight: tf.Tensor2D;
  /** Linear bias `[C]`, used only to predict a class when no label is given. */
  bias?: tf.Tensor1D;
  /** The classifier's LayerNorm (HF `fc_norm`), applied over the last axis. */
  fcNorm: (x: tf.Tensor) => tf.Tensor;
}

/** Everything a soft mask strategy may look at, for one batch of clips. */
export interface SoftMaskContext {
  /** Encoder features of the visible tokens, `[B, V, D]`. */
  features: tf.Tensor3D;
  /**
   * Token index (`tau * N + n`) of each visible token, row-major `[B, V]`, ascending within a clip.
   * Plain integers, so strategies can build neighbour tables without reading tensors back.
   */
  tokenIndices: Int32Array;
  grid: MaskGrid;
  classifier: SoftMaskClassifier;
  /** True labels `[B]` (training). */
  labels?: tf.Tensor1D;
  /** Current logits `[B, C]`; when neither labels nor logits are given, a strategy predicts itself. */
  logits?: tf.Tensor2D;
  /** Visible pixels per token, `[B, V, t*p*p*3]` (optional; none of the built-ins uses them). */
  pixels?: tf.Tensor3D;
}

/** Named intermediate scores a soft mask can report for visualisation, each `[B, V]`. */
export type SoftMaskParts = Record<string, tf.Tensor2D>;

/** A soft mask strategy: context -> `[B, V]` scores in `[0, 1]`. */
export interface SoftMaskStrategy {
  readonly kind: 'soft';
  readonly name: string;
  /** Set when the strategy reads `context.pixels`; the model only gathers pixels for such strategies. */
  readonly usesPixels?: boolean;
  /** Scores `[B, V]` in `[0, 1]`; the caller owns (and disposes) the result. */
  compute(context: SoftMaskContext): tf.Tensor2D;
  /**
   * Optional: the final scores plus named components (for example `ca` and `cs`), for visualisation.
   * Must return the same `mask` as {@link compute}.
   */
  explain?(context: SoftMaskContext): { mask: tf.Tensor2D; parts: SoftMaskParts };
}

export type MaskStrategy = HardMaskStrategy | SoftMaskStrategy;
export type MaskKind = MaskStrategy['kind'];
