import * as tf from '@tensorflow/tfjs-core';
// The one place tfjs-core's gradients are registered for every @adatosk package (its Node entry lacks
// them); side-effect-only on tf's registry and backend-agnostic.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { VideoMAEConfig } from '../config/schema.js';
import { tokenGrid } from '../config/grid.js';
import { classifierHead, HEAD_NORM_EPS, poolTokens } from '../heads/classifier.js';
import { videoMAEDecoder, type DecoderParams } from '../heads/decoder.js';
import { normalizePatches, reconstructionMSE, unnormalizeClips } from '../losses/reconstruction.js';
import { gatherTokens } from '../ops/gather.js';
import { layerNorm } from '../ops/fused/layerNorm.js';
import { linear } from '../ops/linear.js';
import { patchify } from '../ops/patchify.js';
import { seededNormal } from '../ops/random.js';
import { sinusoidTable } from '../ops/sinusoid.js';
import { blockParams, transformerBlock, type BlockParams } from './block.js';
import { maskIndex, type HardMaskInput, type MaskIndex } from './indices.js';
import { parameterSpecs, type ParamPart, type ParamSpec } from './parameters.js';
import { saveModel, type SavedModel } from '../checkpoint/save.js';
import { blockActivationBytes, stepActivationBudget } from './recompute-policy.js';

/** What a checkpoint load did: parameters initialised fresh (absent from the file) and keys ignored. */
export interface LoadReport {
  /** Parameters the checkpoint lacked, filled with a fresh seeded init (HF names). */
  filled: string[];
  /** Model parts that were entirely filled (e.g. `decoder` for a classifier checkpoint). */
  filledParts: ParamPart[];
  /** Checkpoint keys that are not model parameters and were skipped (e.g. HF buffers). */
  ignored: string[];
  /** `legacy`: q_bias/v_bias and no key bias; `current`: query/key/value biases. */
  layout: 'current' | 'legacy' | 'none';
  /** Whether the encoder keys carried the `videomae.` prefix. */
  prefixed: boolean;
}

let nextModelId = 0;

/**
 * HF-compatible VideoMAE (encoder + classifier + pre-training decoder) on TF.js. Variables are
 * keyed by HF state-dict names; linear weights are stored [in, out] and the patch embedding as
 * [t*p*p*C, D] (see `parameterSpecs`). All methods are plain tf ops and can run inside
 * tf.variableGrads; none disposes its inputs.
 */
export class VideoMAEModel {
  readonly config: VideoMAEConfig;
  readonly specs: readonly ParamSpec[];
  /** All parameters by HF name (our layout). */
  readonly variables: Record<string, tf.Variable>;
  /** Same as `variables` (everything trains); pass `Object.values(...)` to tf.variableGrads. */
  readonly trainableVariables: Record<string, tf.Variable>;
  loadReport?: LoadReport;
  /**
   * Gradient checkpointing of transformer blocks while training (`transformerBlock`'s `recompute`):
   * `true`/`false`, or `'auto'` (default): within a training step, each block keeps its activations while the
   * step's estimated activation memory stays within the budget, and later blocks recompute once it would not
   * (so a step uses the memory it has, and recomputes only what does not fit). See `recomputeBudgetBytes`.
   */
  recomputeBlocks: boolean | 'auto' = 'auto';
  /**
   * The activation budget of one training step for `'auto'`, in bytes. Default (undefined): the memory
   * budget (`memoryBudget()`: the user's, else the device's) minus what a step holds anyway (parameters,
   * their gradients and AdamW's moments).
   */
  recomputeBudgetBytes: number | undefined = undefined;
  /** Activation bytes committed so far in each training step (keyed by the gradient tape, freed with it). */
  private readonly stepActivations = new WeakMap<object, { used: number }>();
  private readonly numParams: number;
  private readonly hfNameOf = new Map<string, string>();
  private readonly tables = new Map<string, tf.Tensor2D>();
  private readonly encoderBlocks: BlockParams[];
  private readonly decoderParams: DecoderParams;
  private disposed = false;

  /** Prefer `createModel` / `modelFromSafetensors`. `values` (our layout) override the seeded init. */
  constructor(config: VideoMAEConfig, options: { seed?: number; values?: Map<string, Float32Array> } = {}) {
    this.config = config;
    this.specs = parameterSpecs(config);
    const seed = options.seed ?? 0;
    const id = nextModelId++;
    this.variables = {};
    for (const spec of this.specs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const given = options.values?.get(spec.name);
      const data = given ?? initialValues(spec, size, seed);
      if (data.length !== size) throw new Error(`${spec.name}: expected ${size} values, got ${data.length}`);
      const varName = `videomae_${id}/${spec.name}`;
      this.variables[spec.name] = tf.tidy(() => tf.variable(tf.tensor(data, spec.shape, 'float32'), true, varName));
      this.hfNameOf.set(varName, spec.name);
    }
    this.trainableVariables = this.variables;
    this.numParams = this.specs.reduce((n, spec) => n + spec.shape.reduce((a, b) => a * b, 1), 0);
    const get = (n: string) => this.param(n);
    const has = (n: string) => n in this.variables;
    this.encoderBlocks = Array.from({ length: config.numLayers }, (_, i) => blockParams(get, has, `videomae.encoder.layer.${i}`));
    this.decoderParams = {
      encoderToDecoder: get('encoder_to_decoder.weight'),
      maskToken: get('mask_token'),
      blocks: Array.from({ length: config.decoderNumLayers }, (_, i) => blockParams(get, has, `decoder.decoder_layers.${i}`)),
      norm: [get('decoder.norm.weight'), get('decoder.norm.bias')],
      head: [get('decoder.head.weight'), get('decoder.head.bias')],
    };
  }

  /** A parameter by HF name. */
  param(name: string): tf.Variable {
    const v = this.variables[name];
    if (!v) throw new Error(`no parameter "${name}" in this model`);
    return v;
  }

  /** HF name of a variable (by `variable.name`, as tf.variableGrads keys its gradients). */
  hfName(variableName: string): string | undefined {
    return this.hfNameOf.get(variableName);
  }

  /** Re-key a tf.variableGrads result by HF parameter names. */
  namedGrads<T extends tf.Tensor>(grads: tf.NamedTensorMap | Record<string, T>): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(grads)) out[this.hfNameOf.get(k) ?? k] = g;
    return out;
  }

  get classifierWeight(): tf.Variable {
    return this.param('classifier.weight');
  }
  get classifierBias(): tf.Variable {
    return this.param('classifier.bias');
  }

  /** Sinusoid position table [L, dim], cached per shape and kept alive until `dispose()`. */
  positionTable(tokens: number, dim: number): tf.Tensor2D {
    const key = `${tokens}x${dim}`;
    let t = this.tables.get(key);
    if (!t) {
      t = tf.keep(tf.tensor2d(sinusoidTable(tokens, dim), [tokens, dim]));
      this.tables.set(key, t);
    }
    return t;
  }

  /** Clips [B, T, H, W, C] -> tubelet rows [B, L, t*p*p*C] (temporal-major tokens, HF value order). */
  patchify(clips: tf.Tensor): tf.Tensor3D {
    this.checkClips(clips);
    return patchify(clips, this.config.tubeletSize, this.config.patchSize);
  }

  /**
   * Token embeddings plus the position table: [B, L, D], or [B, K, D] for only the tokens in
   * `visible` (int32 [B, K]), which skips embedding the others.
   */
  embed(clips: tf.Tensor, visible?: tf.Tensor | { visible: tf.Tensor }): tf.Tensor3D {
    const index = visible && !(visible instanceof tf.Tensor) ? visible.visible : visible;
    return tf.tidy(() => {
      let patches = this.patchify(clips);
      const l = patches.shape[1];
      const d = this.config.hiddenSize;
      let pos: tf.Tensor = this.positionTable(l, d);
      if (index) {
        patches = gatherTokens(patches, index);
        pos = tf.gather(pos, index);
      }
      // Pixels never need a gradient: skip dPatches (as large a product as the forward one).
      const tokens = linear(
        patches,
        this.param('videomae.embeddings.patch_embeddings.projection.weight'),
        this.param('videomae.embeddings.patch_embeddings.projection.bias'),
        { inputGrad: false },
      );
      return tf.add(tokens, index ? pos : tf.expandDims(pos, 0)) as tf.Tensor3D;
    });
  }

  /** Rows `index` (int32 [B, K]) of each clip's tokens x [B, L, D]; differentiable on every backend. */
  gatherTokens(x: tf.Tensor, index: tf.Tensor): tf.Tensor3D {
    return gatherTokens(x, index);
  }

  /** One encoder block. */
  encoderBlock(layer: number, x: tf.Tensor3D): tf.Tensor3D {
    const p = this.encoderBlocks[layer];
    if (!p) throw new Error(`encoderBlock: layer ${layer} is out of range [0, ${this.config.numLayers})`);
    const c = this.config;
    return transformerBlock(x, p, c.numHeads, c.layerNormEps, {
      recompute: this.recomputes(x.shape[0], x.shape[1], c.hiddenSize, c.intermediateSize, c.numHeads),
    });
  }

  /**
   * Whether a block on [b, k, D] tokens recomputes in the backward pass. For `'auto'`: while a gradient tape
   * records, the block keeps its activations if the step's activations so far plus this block's estimate
   * (`blockActivationBytes`: what TF.js keeps until the backward pass ends, its gradients included) fit the
   * activation budget; a recomputed block keeps only its input and that input's gradient.
   */
  private recomputes(b: number, k: number, d: number, inter: number, heads: number): boolean {
    if (this.recomputeBlocks !== 'auto') return this.recomputeBlocks;
    const engine = tf.engine();
    const tape = engine.state.activeTape as unknown as object | null;
    if (engine.state.gradientDepth === 0 || !tape) return false;
    let step = this.stepActivations.get(tape);
    if (!step) this.stepActivations.set(tape, (step = { used: 0 }));
    const need = blockActivationBytes(b, k, d, inter, heads);
    const keep = step.used + need <= this.activationBudget();
    step.used += keep ? need : 2 * 4 * b * k * d;
    return !keep;
  }

  /** The activation budget of a training step for `recomputeBlocks: 'auto'` (see `recomputeBudgetBytes`). */
  activationBudget(): number {
    return this.recomputeBudgetBytes ?? stepActivationBudget(this.numParams);
  }

  /**
   * Encoder blocks [from, to) (default: all) on any token subset [B, K, D]. When the range ends at
   * the last block and the config has no mean pooling, HF's final encoder LayerNorm follows.
   */
  encode(x: tf.Tensor3D, range: { from?: number; to?: number } = {}): tf.Tensor3D {
    const n = this.config.numLayers;
    const from = range.from ?? 0;
    const to = range.to ?? n;
    if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= n))
      throw new Error(`encode: layer range [${from}, ${to}) is not within [0, ${n}]`);
    return tf.tidy(() => {
      let h = x;
      for (let i = from; i < to; i++) h = this.encoderBlock(i, h);
      if (to === n && !this.config.useMeanPooling)
        h = layerNorm(
          h,
          this.param('videomae.layernorm.weight'),
          this.param('videomae.layernorm.bias'),
          this.config.layerNormEps,
        ) as tf.Tensor3D;
      return h === x ? tf.clone(x) : h;
    });
  }

  /** Pooled features [B, D]: mean (or token 0 without mean pooling), or a weighted mean with `weights` [B, K]. */
  pool(x: tf.Tensor3D, weights?: tf.Tensor2D): tf.Tensor2D {
    return poolTokens(x, this.config.useMeanPooling, weights);
  }

  /** HF's fc_norm (LayerNorm eps 1e-5) over the last axis; identity when the config has no mean pooling. */
  fcNorm(x: tf.Tensor): tf.Tensor {
    if (!this.config.useMeanPooling) return tf.clone(x);
    return layerNorm(x, this.param('fc_norm.weight'), this.param('fc_norm.bias'), HEAD_NORM_EPS);
  }

  /** Linear classifier only: features already through fc_norm [B, D] -> logits [B, C]. */
  classifierLogits(normed: tf.Tensor2D): tf.Tensor2D {
    return linear(normed, this.classifierWeight, this.classifierBias) as tf.Tensor2D;
  }

  /** fc_norm + linear classifier: pooled [B, D] -> logits [B, C]. */
  classifierHead(pooled: tf.Tensor2D): tf.Tensor2D {
    const norm = this.config.useMeanPooling
      ? ([this.param('fc_norm.weight'), this.param('fc_norm.bias')] as [tf.Tensor, tf.Tensor])
      : undefined;
    return classifierHead(pooled, norm, this.classifierWeight, this.classifierBias);
  }

  /** Full-token classification: clips [B, T, H, W, C] -> `{ logits: [B, C] }`. */
  classify(clips: tf.Tensor): { logits: tf.Tensor2D } {
    this.checkAlive();
    return { logits: tf.tidy(() => this.classifierHead(this.pool(this.encode(this.embed(clips))))) };
  }

  /** Decoder predictions [B, Hn, P] (hidden-token order) from the visible tokens' encoder output [B, V, D]. */
  decode(encoded: tf.Tensor3D, index: MaskIndex): tf.Tensor3D {
    return tf.tidy(() => {
      const l = index.visible.shape[1] + index.hidden.shape[1];
      const table = this.positionTable(l, this.config.decoderHiddenSize);
      const posVisible = tf.gather(table, index.visible) as unknown as tf.Tensor3D;
      const posHidden = tf.gather(table, index.hidden) as unknown as tf.Tensor3D;
      const c = this.config;
      const recompute = () => this.recomputes(encoded.shape[0], l, c.decoderHiddenSize, c.decoderIntermediateSize, c.decoderNumHeads);
      return videoMAEDecoder(encoded, posVisible, posHidden, this.decoderParams, c.decoderNumHeads, c.layerNormEps, { recompute });
    });
  }

  /** Target pixels of the hidden tokens [B, Hn, P]: un-normalised, then per-patch normalised when normPixLoss. */
  reconstructionTarget(clips: tf.Tensor, index: MaskIndex): tf.Tensor3D {
    return tf.tidy(() => {
      // As HF: un-normalise RGB input; other channel counts are used as they are (norm_pix only).
      const c = this.config.numChannels;
      if (c !== 3 && !this.config.normPixLoss)
        throw new Error(`cannot un-normalise ${c}-channel clips for the pixel target; set normPixLoss to true`);
      const patches = this.patchify(c === 3 ? unnormalizeClips(clips) : clips);
      const hidden = gatherTokens(patches, index.hidden);
      return this.config.normPixLoss ? normalizePatches(hidden, this.config.numChannels) : hidden;
    });
  }

  /** Decoder + MSE against the target, from the visible tokens' encoder output. */
  reconstructionLoss(clips: tf.Tensor, encoded: tf.Tensor3D, index: MaskIndex): { loss: tf.Scalar; predictions: tf.Tensor3D } {
    if (index.numHidden === 0) throw new Error('reconstruction needs at least one hidden token (the mask hides none)');
    const predictions = this.decode(encoded, index);
    const loss = tf.tidy(() =>
      reconstructionMSE(
        predictions,
        tf.tidy(() => this.reconstructionTarget(clips, index)),
      ),
    );
    return { loss, predictions };
  }

  /**
   * VideoMAE pre-training: encode the visible tokens, decode the hidden ones.
   * `hidden` [B, L] 0/1 (1 = hidden), temporal-major; every clip hides the same number.
   */
  reconstruct(clips: tf.Tensor, hidden: HardMaskInput): { loss: tf.Scalar; predictions: tf.Tensor3D } {
    this.checkAlive();
    const grid = this.gridOf(clips);
    const index = maskIndex(hidden, grid.tokens);
    try {
      if (index.visible.shape[0] !== clips.shape[0])
        throw new Error(`hidden mask has ${index.visible.shape[0]} rows for a batch of ${clips.shape[0]} clips`);
      return tf.tidy(() => {
        const encoded = this.encode(this.embed(clips, index.visible));
        return this.reconstructionLoss(clips, encoded, index);
      });
    } finally {
      index.dispose();
    }
  }

  /** Token grid of a clip batch [B, T, H, W, C]. */
  gridOf(clips: tf.Tensor) {
    this.checkClips(clips);
    return tokenGrid(this.config, clips.shape[1], clips.shape[2], clips.shape[3]);
  }

  /** Our checkpoint: HF config.json + model.safetensors (HF names and layouts); re-loading round-trips bit for bit. */
  async toSafetensors(): Promise<SavedModel> {
    this.checkAlive();
    return saveModel(this);
  }

  /** Free every variable and cached table. Using the model afterwards throws. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of Object.values(this.variables)) v.dispose();
    for (const t of this.tables.values()) t.dispose();
    this.tables.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkAlive() {
    if (this.disposed) throw new Error('this VideoMAE model has been disposed');
  }

  private checkClips(clips: tf.Tensor) {
    if (clips.rank !== 5)
      throw new Error(`clips must be [batch, frames, height, width, channels] (channels-last), got shape [${clips.shape}]`);
    if (clips.shape[4] !== this.config.numChannels)
      throw new Error(
        `clips have ${clips.shape[4]} channels (last axis); the model expects ${this.config.numChannels}. Use channels-last [B, T, H, W, C].`,
      );
  }
}

/** HF's initialisation: normal(0, 0.02) weights, zero biases, LayerNorm 1/0, zero mask token; seeded per parameter. */
export function initialValues(spec: ParamSpec, size: number, seed: number): Float32Array {
  if (spec.init === 'normal') return seededNormal(size, 0.02, seed, spec.name);
  const out = new Float32Array(size);
  if (spec.init === 'ones') out.fill(1);
  return out;
}

/** A fresh, seeded VideoMAE (encoder, classifier and pre-training decoder). */
export function createModel(config: VideoMAEConfig, options: { seed?: number } = {}): VideoMAEModel {
  return new VideoMAEModel(config, { seed: options.seed ?? 0 });
}
