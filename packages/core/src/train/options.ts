// What `train()` takes, core's defaults for it (the CLI imports them: one source), and the check that
// turns bad values into messages naming the option and the fix.
import type { MixOptions } from './mixup.js';
import type { TrainData } from './model.js';

export interface TrainOptions {
  epochs: number;
  /** Clips per micro-batch. */
  batchSize: number;
  /** Micro-batches summed into one optimiser step (effective batch = batchSize * accumSteps). */
  accumSteps?: number;
  /** Peak learning rate (after warmup), before layer-wise scaling. */
  lr: number;
  minLr?: number;
  /** Warmup length in epochs (fractional allowed); `warmupSteps` wins when given. */
  warmupEpochs?: number;
  warmupSteps?: number;
  weightDecay?: number;
  /** Layer-wise LR decay factor (1 = off). */
  layerDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Max global gradient norm; null/undefined/0 = no clipping. */
  clipGradNorm?: number | null;
  seed?: number;
  mix?: Partial<MixOptions> | null;
  /** What to do when the loss or gradient is NaN/Inf: skip the update, or throw. */
  onNonFinite?: 'skip' | 'stop';
  /** Also checkpoint every N optimiser steps (0 = only at epoch ends). */
  checkpointEverySteps?: number;
  /** Evaluate every N epochs (0 = only after the last; the last epoch always evaluates when `evaluate` is given). */
  evalEvery?: number;
  /** Metric that decides the best checkpoint. */
  bestMetric?: 'uar' | 'war';
}

/**
 * Core's defaults for every optional training option that has one (AdamW's betas and epsilon default in
 * `AdamW` itself). Decided once here; the CLI's config schema reads them instead of restating them:
 * - `onNonFinite: 'stop'`: a NaN/Inf loss in fp32 means the run diverged; stopping with the fix named (as
 *   timm/VideoMAE's `sys.exit` on a non-finite loss does) beats skipping every later step of a dead run.
 *   `'skip'` stays available for a known transient case.
 * - `evalEvery: 1`: evaluating every epoch (as MAE-DFER does) is what makes the best checkpoint mean
 *   something and gives the accuracy curve one point per epoch; 0 evaluates only after the last epoch.
 */
export const TRAIN_DEFAULTS = {
  accumSteps: 1,
  minLr: 0,
  warmupEpochs: 0,
  weightDecay: 0.05,
  layerDecay: 1,
  clipGradNorm: null,
  seed: 0,
  onNonFinite: 'stop',
  checkpointEverySteps: 0,
  evalEvery: 1,
  bestMetric: 'uar',
} as const satisfies Partial<TrainOptions>;

/** Mixup/CutMix settings a partial `mix` option is completed with. */
export const MIX_DEFAULTS: Readonly<MixOptions> = { mixupAlpha: 0, cutmixAlpha: 0, prob: 1, switchProb: 0.5 };

/** Options with every default applied. */
export interface ResolvedTrainOptions
  extends Required<Pick<TrainOptions, 'epochs' | 'batchSize' | 'lr' | keyof typeof TRAIN_DEFAULTS>>,
    Pick<TrainOptions, 'warmupSteps' | 'beta1' | 'beta2' | 'epsilon'> {
  clipGradNorm: number | null;
  mix: MixOptions | null;
}

/** Checks `options` against the data and fills core's defaults. Throws an Error naming the bad option. */
export function resolveTrainOptions(options: TrainOptions, data: Pick<TrainData, 'size'>): ResolvedTrainOptions {
  const o = options;
  const bad = (k: string, v: unknown, want: string): never => {
    throw new Error(`train: option '${k}' is ${JSON.stringify(v)}; ${want}`);
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) bad('epochs', o.epochs, 'use an integer >= 1');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) bad('batchSize', o.batchSize, 'use an integer >= 1');
  if (o.accumSteps !== undefined && (!Number.isInteger(o.accumSteps) || o.accumSteps < 1))
    bad('accumSteps', o.accumSteps, 'use an integer >= 1');
  if (!(o.lr > 0)) bad('lr', o.lr, 'use a positive number such as 1e-3');
  if (data.size < 1) throw new Error('train: the training data is empty (size 0); check the dataset root and split');
  const mix = o.mix ? { ...MIX_DEFAULTS, ...definedOnly(o.mix) } : null;
  return {
    ...TRAIN_DEFAULTS,
    ...definedOnly(o),
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    clipGradNorm: o.clipGradNorm ?? TRAIN_DEFAULTS.clipGradNorm,
    mix,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
