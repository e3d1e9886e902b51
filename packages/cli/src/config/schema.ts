// The run configuration: a YAML/JSON file merged with flags, validated by zod. Defaults are the quick-start run
// (`adatosk train` with no arguments), tuned to reach WAR >= 85% on the synthetic test split in ~3 minutes on 2 CPU cores.
import { z } from 'zod';
import { presetNames, type PresetName } from '@adatosk/core';

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
  /** Parallel clip loads. */
  concurrency: int(1).default(2),
});

export const trainSchema = z.strictObject({
  epochs: int(1).default(64),
  batchSize: int(1).default(8),
  accumSteps: int(1).default(1),
  lr: num().positive().default(3e-3),
  minLr: num().min(0).default(1e-5),
  warmupEpochs: num().min(0).default(0.3),
  weightDecay: num().min(0).default(0.05),
  layerDecay: num().positive().max(1).default(1),
  clipGradNorm: num().positive().nullable().default(1),
  seed: int().default(0),
  mixup: num().min(0).default(0),
  cutmix: num().min(0).default(0),
  mixProb: num().min(0).max(1).default(1),
  switchProb: num().min(0).max(1).default(0.5),
  onNonFinite: z.enum(['skip', 'stop']).default('stop'),
  evalEvery: int().default(0),
  checkpointEverySteps: int().default(0),
  bestMetric: z.enum(['uar', 'war']).default('uar'),
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
