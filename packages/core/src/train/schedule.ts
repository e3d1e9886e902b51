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
