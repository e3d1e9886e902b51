// The run configuration: a YAML/JSON file merged with flags, validated by zod. Training defaults come from one
// place each: core's TRAIN_DEFAULTS / MIX_DEFAULTS for what the library defaults, and the quick-start profile
// (QUICK_START_TRAIN, config/quickstart.ts) for what `adatosk train` with no arguments tunes on top of them.
import { z } from 'zod';
import { MIX_DEFAULTS, presetNames, TRAIN_DEFAULTS, type PresetName } from '@adatosk/core';
import { QUICK_START_TRAIN } from './quickstart.js';

const int = (min = 0) => z.number().int().min(min);
const num = () => z.number().finite();

export const modelSchema = z.strictObject({
  /** Backbone preset of @adatosk/core: quickstart (the quick start's) | tiny | small | base. */
  preset: z.enum(presetNames as [PresetName, ...PresetName[]]).default('quickstart'),
  /** VideoMAE config fields that replace the preset's (hiddenSize, numLayers, numFrames, imageSize, ...). */
  overrides: z.record(z.string(), z.unknown()).default({}),
  /** AdaTosk options passed to the model factory (hard/soft mask ratios, lambda, label smoothing, masks, ...). */
  adatosk: z.record(z.string(), z.unknown()).default({}),
  /** Start from these weights: a run folder of `adatosk pretrain`/`train`, a .safetensors file (ours or HF), a checkpoint. */
  pretrained: z.string().optional(),
});

export const dataSchema = z.strictObject({
  /** Dataset registry name: synthetic | dfew | ferv39k | mafw | folder | list. */
  name: z.string().default('synthetic'),
  /** Dataset root (not needed for synthetic). */
  root: z.string().optional(),
  /** Fold for 5-fold datasets (DFEW, MAFW); `all` runs every fold (k-fold). */
  fold: z.union([int(1), z.literal('all')]).optional(),
  /** Synthetic dataset sizes. */
  trainClips: int(1).default(560),
  testClips: int(1).default(140),
  /** Extra options for `createDataset` (numFrames/size default to the model's). */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Parallel clip loads (without worker threads). */
  concurrency: int(1).default(2),
  /** A frame cache made by `adatosk datasets prepare` to read instead of the source (`--cache`). */
  cache: z.string().optional(),
  /** Worker threads that decode and augment clips (default: one per core; 0 = on the main thread). */
  workers: int(0).optional(),
  /** Where augmentation runs: `auto` (on the device for a cache on a GPU backend), `cpu`, `device` (caches only). */
  augmentOn: z.enum(['auto', 'cpu', 'device']).default('auto'),
});

const T = { ...TRAIN_DEFAULTS, ...QUICK_START_TRAIN };
export const trainSchema = z.strictObject({
  epochs: int(1).default(T.epochs),
  batchSize: int(1).default(T.batchSize),
  accumSteps: int(1).default(T.accumSteps),
  lr: num().positive().default(T.lr),
  minLr: num().min(0).default(T.minLr),
  warmupEpochs: num().min(0).default(T.warmupEpochs),
  weightDecay: num().min(0).default(T.weightDecay),
  layerDecay: num().positive().max(1).default(T.layerDecay),
  clipGradNorm: num().positive().nullable().default(T.clipGradNorm),
  seed: int().default(T.seed),
  /** Mixup's Beta alpha (0 = off). */
  mixup: num().min(0).default(MIX_DEFAULTS.mixupAlpha),
  /** CutMix's Beta alpha (0 = off). */
  cutmix: num().min(0).default(MIX_DEFAULTS.cutmixAlpha),
  mixProb: num().min(0).max(1).default(MIX_DEFAULTS.prob),
  switchProb: num().min(0).max(1).default(MIX_DEFAULTS.switchProb),
  onNonFinite: z.enum(['skip', 'stop']).default(T.onNonFinite),
  /** Evaluate every N epochs (0 = only after the last). */
  evalEvery: int().default(T.evalEvery),
  checkpointEverySteps: int().default(T.checkpointEverySteps),
  bestMetric: z.enum(['uar', 'war']).default(T.bestMetric),
  /** Memory a step may use (`20GB` or bytes); recomputeBlocks 'auto' fits the step into it. Default: the device's memory. */
  memoryBudget: z.union([z.string(), z.number().positive()]).optional(),
});

export const evalSchema = z.strictObject({
  /** Samples per forward pass (each brings all its views). */
  batchSize: int(1).default(8),
});

export const outputSchema = z.strictObject({
  /** Parent folder of runs. */
  dir: z.string().default('runs'),
  /** Run folder name (default: a timestamp). */
  name: z.string().optional(),
  /** Epoch checkpoints kept besides the best. */
  keepLast: int(1).default(2),
  /** Write loss/accuracy/confusion PNGs. */
  plots: z.boolean().default(true),
});

export const configSchema = z.strictObject({
  model: modelSchema.default(modelSchema.parse({})),
  data: dataSchema.default(dataSchema.parse({})),
  train: trainSchema.default(trainSchema.parse({})),
  eval: evalSchema.default(evalSchema.parse({})),
  output: outputSchema.default(outputSchema.parse({})),
  /** auto | cpu | wasm | webgpu | tfjs-node | tfjs-node-gpu */
  backend: z.string().default('auto'),
  /** Modules (paths or package names) that register mask plugins. */
  plugins: z.array(z.string()).default([]),
});

export type RunConfig = z.infer<typeof configSchema>;
export type RunConfigInput = z.input<typeof configSchema>;
