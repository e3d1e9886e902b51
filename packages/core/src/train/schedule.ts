// Learning-rate schedules, as pure functions of the optimiser step (so resume needs only the step).

export interface CosineScheduleOptions {
  /** Peak learning rate, reached at the end of warmup. */
  baseLr: number;
  /** Floor of the cosine. */
  minLr?: number;
  /** Linear warmup from ~0 to baseLr over this many steps. */
  warmupSteps: number;
  /** Total optimiser steps of the run. */
  totalSteps: number;
}

/** Linear warmup, then half-cosine decay to `minLr` (VideoMAE/MAE-DFER's `cosine_scheduler`). */
export function cosineWithWarmup(opts: CosineScheduleOptions): (step: number) => number {
  const { baseLr, warmupSteps, totalSteps } = opts;
  const minLr = opts.minLr ?? 0;
  if (!(baseLr >= 0)) throw new Error(`schedule: baseLr must be >= 0, got ${baseLr}`);
  if (!(totalSteps >= 1)) throw new Error(`schedule: totalSteps must be >= 1, got ${totalSteps}`);
  return (step: number) => {
    if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
    const span = Math.max(1, totalSteps - warmupSteps);
    const t = Math.min(1, (step - warmupSteps) / span);
    return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t));
  };
}

/** Optimiser steps per epoch for a dataset size. A partial last batch is dropped unless it is the only one. */
export function stepsPerEpoch(size: number, batchSize: number, accumSteps = 1): number {
  return Math.max(1, Math.floor(size / (batchSize * accumSteps)));
}

/** The shape of a run in optimiser steps, and its learning rate per step. */
export interface RunPlan {
  /** Clips per micro-batch (the batch size, capped by the data size). */
  microBatch: number;
  accumSteps: number;
  stepsPerEpoch: number;
  totalSteps: number;
  warmupSteps: number;
  /** The scheduled learning rate of a global step (before layer-wise scaling). */
  lr: (step: number) => number;
}

/** Plans a run over `size` clips: batches, steps and the warmup-then-cosine schedule. */
export function planRun(
  size: number,
  o: { epochs: number; batchSize: number; accumSteps: number; lr: number; minLr: number; warmupEpochs: number; warmupSteps?: number },
): RunPlan {
  const microBatch = Math.min(o.batchSize, size);
  const spe = stepsPerEpoch(size, microBatch, o.accumSteps);
  const totalSteps = spe * o.epochs;
  const warmupSteps = o.warmupSteps ?? Math.round(o.warmupEpochs * spe);
  const lr = cosineWithWarmup({ baseLr: o.lr, minLr: o.minLr, warmupSteps, totalSteps });
  return { microBatch, accumSteps: o.accumSteps, stepsPerEpoch: spe, totalSteps, warmupSteps, lr };
}
