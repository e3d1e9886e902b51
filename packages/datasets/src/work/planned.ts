// Datasets whose loads split into a cheap plan (main thread) and heavy work (any thread): the file
// datasets and the frame cache. Loaders hand the work to a worker pool; `load` runs it in-process.
import type { ClipDataset, ClipLoadOptions, ClipSample } from '@adatosk/core';
import type { ClipWork, WorkOutput } from './types.js';

export interface ClipPlan {
  work: ClipWork;
  /** Everything of the sample except its frames. */
  sample: Omit<ClipSample, 'frames'>;
}

export interface PlanOptions extends ClipLoadOptions {
  /** `float` (default): augmented clips; `packed`: source frames for `augmentOnDevice` (caches only). */
  output?: WorkOutput;
}

export interface PlannedClipDataset extends ClipDataset {
  /** Plans load i: lists or decodes what must be found on the main thread, draws the randomness. Rejects with ClipLoadError. */
  plan(i: number, options: PlanOptions): Promise<ClipPlan>;
  /** True when `plan` accepts `output: 'packed'` (all frames of one size). */
  readonly packable?: boolean;
}

export function isPlannedDataset(ds: ClipDataset): ds is PlannedClipDataset {
  return typeof (ds as Partial<PlannedClipDataset>).plan === 'function';
}
