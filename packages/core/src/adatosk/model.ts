// The AdaTosk model: one VideoMAE encoder shared by a reconstruction branch (hard mask + decoder)
// and a classification branch (adaptive temporal soft mask + top-k token selection).
import * as tf from '@tensorflow/tfjs-core';
import { createModel, type VideoMAEModel } from '../backbone/model.js';
import { maskIndex } from '../backbone/indices.js';
import { gatherTokens } from '../ops/gather.js';
import { modelFromSafetensors, type LoadOptions } from '../checkpoint/load.js';
import { resolveConfig, type PresetName } from '../config/presets.js';
import type { VideoMAEConfig } from '../config/schema.js';
import { tokenGrid } from '../config/grid.js';
import { softmaxCrossEntropy } from '../losses/crossEntropy.js';
import { hardMaskIndices } from '../masks/hard-mask.js';
import { createMaskFromSpec } from '../masks/registry.js';
import { stopGradient } from '../masks/stop-gradient.js';
import type { HardMask, HardMaskStrategy, MaskGrid, SoftMaskContext, SoftMaskStrategy } from '../masks/types.js';
import { createRng, isRng, type Rng } from '../random/index.js';
import { resolveAdaToskOptions, type AdaToskOptions, type ResolvedAdaToskOptions } from './options.js';
import { keptCount, selectTopK } from './selection.js';
import { countAdaToskFlops, type AdaToskFlops } from './flops.js';

/** A training batch: normalised clips `[B, T, H, W, 3]` and int32 labels `[B]`. */
export interface AdaToskBatch {
  clips: tf.Tensor5D;
  labels: tf.Tensor1D;
}

/** Per-step randomness: a seeded generator (or a seed) and the global step. */
export interface AdaToskStepContext {
  rng?: Rng | number;
  step?: number;
}

export interface AdaToskLoss {
  /** `L_cls + lambda * L_rec` (or one of them, by objective). */
  loss: tf.Scalar;
  logs: { cls: tf.Scalar; rec: tf.Scalar };
}

/** Per-token soft mask scores of one batch, as plain arrays (for visualisation). */
export interface SoftMaskReport {
  grid: MaskGrid;
  /** Token indices (`tau * N + n`) of the visible tokens, per clip. */
  visible: number[][];
  /** Final mask per visible token, per clip. */
  final: number[][];
  /** Class-agnostic dynamic mask (when the soft mask reports it). */
  ca?: number[][];
  /** Class-semantic similar mask (when the soft mask reports it). */
  cs?: number[][];
  /** Every named component the soft mask reported. */
  parts: Record<string, number[][]>;
  /** Token indices of the kept tokens (top `ceil(rhoS * V)` by final mask), per clip, by descending score. */
  kept: number[][];
  /** The class each clip's class-semantic mask used (the prediction). */
  predicted: number[];
}

const INFERENCE_RNG_SEED = 'adatosk/inference';

function toStrategy<S extends HardMaskStrategy | SoftMaskStrategy>(
  spec: unknown,
  kind: S['kind'],
  fallback: { name: string; options?: Record<string, unknown> },
  what: string,
): S {
  if (spec && typeof spec === 'object' && 'kind' in spec && typeof (spec as S).name === 'string') {
    if ((spec as S).kind !== kind)
      throw new Error(
        `AdaTosk option ${what}: the strategy '${(spec as S).name}' is a ${(spec as S).kind} mask, a ${kind} mask is needed.`,
      );
    return spec as S;
  }
  return createMaskFromSpec((spec as { name: string; options?: Record<string, unknown> }) ?? fallback, kind) as S;
}

/**
 * AdaTosk on a VideoMAE backbone. `computeLoss` runs one encoder pass over the visible tokens and
 * both branches; `predict` runs the deterministic inference path (no decoder).
 */
export class AdaToskModel {
  readonly backbone: VideoMAEModel;
  readonly options: Readonly<ResolvedAdaToskOptions>;
  readonly hardMask: HardMaskStrategy;
  readonly softMask: SoftMaskStrategy;

  constructor(backbone: VideoMAEModel, options: AdaToskOptions = {}) {
    this.backbone = backbone;
    this.options = Object.freeze(resolveAdaToskOptions(options, backbone.config.numLayers));
    this.hardMask = toStrategy<HardMaskStrategy>(options.hardMask, 'hard', { name: 'hard-random' }, 'hardMask');
    let softSpec = options.softMask;
    // The model's detachMask: false must reach strategies that detach by default.
    if (!this.options.detachMask && softSpec && !('kind' in softSpec)) {
      const given = (softSpec.options ?? {}) as Record<string, unknown>;
      if (!('detachMask' in given)) softSpec = { ...softSpec, options: { ...given, detachMask: false } } as unknown as typeof softSpec;
    } else if (!this.options.detachMask && !softSpec) {
      softSpec = { name: 'combined', options: { detachMask: false } } as unknown as typeof softSpec;
    }
    try {
      this.softMask = toStrategy<SoftMaskStrategy>(softSpec, 'soft', { name: 'combined' }, 'softMask');
    } catch (error) {
      if (!this.options.detachMask && error instanceof Error && /detachMask/.test(error.message)) {
        throw new Error(
          `${error.message}\n(AdaTosk passes detachMask: false to the soft mask because the model's detachMask is false; ` +
            'let the strategy accept that option, or pass a strategy instance as softMask.)',
          { cause: error },
        );
      }
      throw error;
    }
  }

  get config(): VideoMAEConfig {
    return this.backbone.config;
  }

  /** Parameters by Hugging Face name (the layer index is in the name, for layer-wise LR decay). */
  get trainableVariables(): Record<string, tf.Variable> {
    return this.backbone.trainableVariables;
  }

  /** Number of encoder blocks. */
  get numLayers(): number {
    return this.backbone.config.numLayers;
  }

  /** The hard mask of one training step (host side, seeded). */
  sampleTrainingMask(batch: number, grid: MaskGrid, rng: Rng): HardMask {
    return this.hardMask.sample({ batch, grid, ratio: this.options.rhoH, rng });
  }

  /** The fixed inference hard mask (`rhoHInfer`, spatially even tube). */
  inferenceMask(batch: number, grid: MaskGrid): HardMask {
    return this.hardMask.sample({ batch, grid, ratio: this.options.rhoHInfer, rng: createRng(INFERENCE_RNG_SEED), deterministic: true });
  }

  /**
   * One training step's loss, for use inside `tf.variableGrads`: one encoder pass over the visible
   * tokens feeds the decoder (L_rec) and the soft-mask selection + classifier (L_cls).
   */
  computeLoss(batch: AdaToskBatch, context: AdaToskStepContext = {}): AdaToskLoss {
    const { clips, labels } = batch;
    const grid = this.backbone.gridOf(clips);
    const b = clips.shape[0];
    if (!labels || labels.rank !== 1 || labels.shape[0] !== b) {
      throw new Error(
        `computeLoss: labels must be an int32 tensor [${b}] (one class per clip), got ${labels ? `[${labels.shape}]` : String(labels)}.`,
      );
    }
    const rng = this.stepRng(context);
    const hard = this.sampleTrainingMask(b, grid, rng.split('hard-mask'));
    const visible = hardMaskIndices(hard).visible;
    const index = maskIndex({ data: hard.data, shape: [b, hard.tokens] }, grid.tokens);
    const { objective, lambda, labelSmoothing, selectAtLayer } = this.options;
    try {
      return tf.tidy(() => {
        const x = this.backbone.embed(clips, index.visible);
        const z = this.backbone.encode(x, { from: 0, to: selectAtLayer });
        const zero = () => tf.scalar(0);
        let cls: tf.Scalar = zero();
        let rec: tf.Scalar = zero();
        if (objective !== 'pretrain') {
          // semanticTarget 'prediction': the soft mask sees no label and predicts, as at inference.
          const maskLabels = this.options.semanticTarget === 'label' ? labels : undefined;
          const logits = this.classifyEncoded(z, visible, grid, maskLabels, clips).logits;
          cls = softmaxCrossEntropy(logits, labels, { labelSmoothing });
        }
        if (objective !== 'classify' && hard.hidden > 0) {
          const full = selectAtLayer < this.numLayers ? this.backbone.encode(z, { from: selectAtLayer }) : z;
          rec = this.backbone.reconstructionLoss(clips, full, index).loss;
        }
        const loss = objective === 'pretrain' ? tf.clone(rec) : objective === 'classify' ? tf.clone(cls) : tf.add(cls, tf.mul(rec, lambda));
        return { loss: loss as tf.Scalar, logs: { cls, rec } };
      });
    } finally {
      index.dispose();
    }
  }

  /**
   * Soft mask scores `[B, V]` of the visible tokens at `selectAtLayer` (training hard mask when
   * `rng` is given, else the inference mask). For tests and analysis; the caller disposes.
   */
  scoreTokens(
    clips: tf.Tensor5D,
    options: { labels?: tf.Tensor1D; rng?: Rng } = {},
  ): { scores: tf.Tensor2D; visible: Int32Array; grid: MaskGrid } {
    const grid = this.backbone.gridOf(clips);
    const b = clips.shape[0];
    const hard = options.rng ? this.sampleTrainingMask(b, grid, options.rng) : this.inferenceMask(b, grid);
    const visible = hardMaskIndices(hard).visible;
    const v = hard.tokens - hard.hidden;
    const scores = tf.tidy(() => {
      const index = tf.tensor2d(visible, [b, v], 'int32');
      const z = this.backbone.encode(this.backbone.embed(clips, index), { from: 0, to: this.options.selectAtLayer });
      return this.maskScores(z, visible, grid, options.labels, clips);
    });
    return { scores, visible, grid };
  }

  /** Inference: deterministic hard mask, soft selection, classifier; no decoder. */
  predict(clips: tf.Tensor5D): { logits: tf.Tensor2D; probs: tf.Tensor2D } {
    const grid = this.backbone.gridOf(clips);
    const b = clips.shape[0];
    const hard = this.inferenceMask(b, grid);
    const visible = hardMaskIndices(hard).visible;
    const v = hard.tokens - hard.hidden;
    return tf.tidy(() => {
      const index = tf.tensor2d(visible, [b, v], 'int32');
      const z = this.backbone.encode(this.backbone.embed(clips, index), { from: 0, to: this.options.selectAtLayer });
      const { logits } = this.classifyEncoded(z, visible, grid, undefined, clips);
      return { logits, probs: tf.softmax(logits) as tf.Tensor2D };
    });
  }

  /** Logits of the inference path (what evaluation needs). */
  predictLogits(clips: tf.Tensor5D): tf.Tensor2D {
    const { logits, probs } = this.predict(clips);
    probs.dispose();
    return logits;
  }

  /** Per-token masks of the inference path as plain arrays (CA, CS and final, visible and kept tokens). */
  async softMasks(clips: tf.Tensor5D): Promise<SoftMaskReport> {
    const grid = this.backbone.gridOf(clips);
    const b = clips.shape[0];
    const hard = this.inferenceMask(b, grid);
    const visible = hardMaskIndices(hard).visible;
    const v = hard.tokens - hard.hidden;
    const k = keptCount(v, this.options.rhoS);
    const out = tf.tidy(() => {
      const index = tf.tensor2d(visible, [b, v], 'int32');
      const z = this.backbone.encode(this.backbone.embed(clips, index), { from: 0, to: this.options.selectAtLayer });
      const context = this.maskContext(z, visible, grid, undefined, clips);
      const explained = this.softMask.explain
        ? this.softMask.explain(context)
        : { mask: this.softMask.compute(context), parts: {} as Record<string, tf.Tensor2D> };
      const kept = tf.topk(explained.mask, k, true).indices;
      const predicted = tf.argMax(this.backbone.classifierHead(this.backbone.pool(z)), -1);
      return { mask: explained.mask, parts: explained.parts, kept, predicted };
    });
    try {
      const rows = (a: Int32Array | Float32Array | Uint8Array, width: number) =>
        Array.from({ length: b }, (_, i) => Array.from(a.subarray(i * width, (i + 1) * width)));
      const visibleRows = rows(visible, v);
      const keptLocal = rows((await out.kept.data()) as Int32Array, k);
      const parts: Record<string, number[][]> = {};
      for (const [name, t] of Object.entries(out.parts)) parts[name] = rows((await t.data()) as Float32Array, v);
      return {
        grid: { frames: grid.frames, height: grid.height, width: grid.width },
        visible: visibleRows,
        final: rows((await out.mask.data()) as Float32Array, v),
        ca: parts.ca,
        cs: parts.cs,
        parts,
        kept: keptLocal.map((row, i) => row.map((j) => visibleRows[i][j])),
        predicted: Array.from((await out.predicted.data()) as Int32Array),
      };
    } finally {
      tf.dispose([out.mask, out.kept, out.predicted, ...Object.values(out.parts)]);
    }
  }

  /**
   * What `predict` costs per clip, next to the full-token ViT classifier: the tokens the inference
   * hard mask actually leaves visible (a `none` hard mask hides nothing), the kept tokens after
   * `selectAtLayer`, and the soft mask's own products when it runs. Clip size defaults to the config's.
   */
  inferenceFlops(size: { frames?: number; height?: number; width?: number } = {}): AdaToskFlops {
    const cfg = this.config;
    const frames = size.frames ?? cfg.numFrames;
    const height = size.height ?? cfg.imageSize;
    const width = size.width ?? height;
    const grid = tokenGrid(cfg, frames, height, width);
    const hard = this.inferenceMask(1, grid);
    const { rhoHInfer, rhoS, selectAtLayer } = this.options;
    return countAdaToskFlops(cfg, {
      frames,
      height,
      width,
      rhoHInfer,
      rhoS: this.selects ? rhoS : 1,
      selectAtLayer,
      visibleTokens: hard.tokens - hard.hidden,
      softMask: this.selects,
    });
  }

  /** Saves the backbone (HF config + safetensors). */
  toSafetensors(): ReturnType<VideoMAEModel['toSafetensors']> {
    return this.backbone.toSafetensors();
  }

  dispose(): void {
    this.backbone.dispose();
  }

  private stepRng(context: AdaToskStepContext): Rng {
    const { rng, step } = context;
    if (isRng(rng)) return rng;
    if (typeof rng === 'number') return createRng(rng).split(step ?? 0);
    return createRng(this.options.seed).split(`step-${step ?? 0}`);
  }

  private maskContext(z: tf.Tensor3D, visible: Int32Array, grid: MaskGrid, labels?: tf.Tensor1D, clips?: tf.Tensor5D): SoftMaskContext {
    let pixels: tf.Tensor3D | undefined;
    if (this.softMask.usesPixels && clips) {
      const [b, v] = z.shape;
      pixels = gatherTokens(this.backbone.patchify(clips), tf.tensor2d(visible, [b, v], 'int32'));
    }
    return {
      pixels,
      features: z,
      tokenIndices: visible,
      grid,
      classifier: {
        weight: this.backbone.classifierWeight as tf.Tensor as tf.Tensor2D,
        bias: this.backbone.classifierBias as tf.Tensor as tf.Tensor1D,
        fcNorm: (x) => this.backbone.fcNorm(x),
      },
      labels,
    };
  }

  private maskScores(
    z: tf.Tensor3D,
    visible: Int32Array,
    grid: MaskGrid,
    labels: tf.Tensor1D | undefined,
    clips: tf.Tensor5D,
  ): tf.Tensor2D {
    const scores = this.softMask.compute(this.maskContext(z, visible, grid, labels, clips));
    // detachMask at model level cuts every path, whatever the strategy does.
    return this.options.detachMask ? stopGradient(scores) : scores;
  }

  /** Whether the soft mask runs at all: not when every token is kept and pooled by the plain mean. */
  get selects(): boolean {
    return !(this.options.rhoS >= 1 && this.options.pooling === 'mean');
  }

  /** Soft mask at `selectAtLayer`, top-k, remaining layers on kept tokens, pooling, head. */
  private classifyEncoded(
    z: tf.Tensor3D,
    visible: Int32Array,
    grid: MaskGrid,
    labels: tf.Tensor1D | undefined,
    clips: tf.Tensor5D,
  ): { logits: tf.Tensor2D } {
    return tf.tidy(() => {
      const { selectAtLayer, pooling } = this.options;
      let tokens = z;
      let weights: tf.Tensor2D | undefined;
      if (this.selects) {
        const scores = this.maskScores(z, visible, grid, labels, clips);
        const selection = selectTopK(z, scores, keptCount(z.shape[1], this.options.rhoS));
        tokens = selection.kept;
        if (pooling === 'weighted') weights = selection.weights;
      }
      const final = selectAtLayer < this.numLayers ? this.backbone.encode(tokens, { from: selectAtLayer }) : tokens;
      return { logits: this.backbone.classifierHead(this.backbone.pool(final, weights)) };
    });
  }
}

/** Options of {@link createAdaTosk}: AdaTosk's plus the initialisation seed of the backbone. */
export interface CreateAdaToskOptions extends AdaToskOptions {
  /** Seed of the backbone's initialisation. Default 0. */
  initSeed?: number;
  /** Overrides applied to the preset (e.g. `{ numClasses: 11 }`). */
  overrides?: Partial<VideoMAEConfig>;
}

/** A fresh AdaTosk model from a preset name or a config. */
export function createAdaTosk(config: PresetName | VideoMAEConfig, options: CreateAdaToskOptions = {}): AdaToskModel {
  const { initSeed, overrides, ...adatosk } = options;
  const backbone = createModel(resolveConfig(config, overrides), { seed: initSeed ?? 0 });
  try {
    return new AdaToskModel(backbone, adatosk);
  } catch (error) {
    backbone.dispose();
    throw error;
  }
}

/** AdaTosk on weights from a checkpoint (ours or Hugging Face VideoMAE; see `modelFromSafetensors`). */
export async function adaToskFromSafetensors(
  config: Parameters<typeof modelFromSafetensors>[0],
  bytes: Uint8Array | ArrayBuffer,
  options: AdaToskOptions & { load?: LoadOptions } = {},
): Promise<AdaToskModel> {
  const { load, ...adatosk } = options;
  const backbone = await modelFromSafetensors(config, bytes, load);
  try {
    return new AdaToskModel(backbone, adatosk);
  } catch (error) {
    backbone.dispose();
    throw error;
  }
}
