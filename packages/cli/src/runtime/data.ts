// Adapts `@adatosk/datasets` ClipDatasets to the training loop's TrainData and the evaluator's EvalData:
// clips decoded and augmented in worker threads (file datasets and frame caches), the next batch loaded
// while the current step runs (prefetch hint), augmentation on the device for caches on GPU backends.
import { availableParallelism } from 'node:os';
import type { ClipDataset, EvalData } from '@adatosk/core';
import {
  ClipWorkerPool,
  clipEvalData,
  clipTrainData,
  isPlannedDataset,
  prefetchTrainData,
  type AugmentOn,
  type DataWait,
  type PrefetchingTrainData,
} from '@adatosk/datasets';

/** Runs `fn` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface SkipCounter {
  skipped: { id: string; message: string }[];
}

/** Worker threads for the data (`workers`: 0 = load on the main thread; default: one per core). None for in-memory datasets. */
export async function startDataWorkers(ds: ClipDataset, workers?: number): Promise<ClipWorkerPool | undefined> {
  if (!isPlannedDataset(ds)) return undefined;
  const n = workers ?? availableParallelism();
  return n > 0 ? ClipWorkerPool.start({ workers: n }) : undefined;
}

/** Backends whose device is cheaper than the CPU for augmentation. */
const DEVICE_BACKENDS = new Set(['webgpu', 'webgl', 'tensorflow']);

/** `auto`: on the device for a frame cache on a GPU backend, else on the CPU (in the workers). */
export function chooseAugmentOn(ds: ClipDataset, backend: string, wanted: 'auto' | AugmentOn = 'auto'): AugmentOn {
  if (wanted !== 'auto') return wanted;
  const packable = isPlannedDataset(ds) && ds.packable === true;
  return packable && DEVICE_BACKENDS.has(backend) ? 'device' : 'cpu';
}

export interface TrainDataRuntime {
  pool?: ClipWorkerPool;
  /** Clip loads in flight (default: the pool's capacity, else 2). */
  concurrency?: number;
  augmentOn?: AugmentOn;
  skips?: SkipCounter;
  /** How long each load kept the training loop waiting (the data part of the time outside the model). */
  onWait?: (wait: DataWait) => void;
}

/** Broken clips (ClipLoadError) are dropped from their batch and counted; anything else stops the run. */
export function trainDataOf(ds: ClipDataset, o: TrainDataRuntime | number = {}, skips?: SkipCounter): PrefetchingTrainData {
  const r: TrainDataRuntime = typeof o === 'number' ? { concurrency: o, ...(skips ? { skips } : {}) } : o;
  const counter = r.skips;
  const data = clipTrainData(ds, {
    ...(r.pool ? { executor: r.pool } : {}),
    ...(r.concurrency !== undefined && !r.pool ? { concurrency: r.concurrency } : {}),
    augmentOn: r.augmentOn ?? 'cpu',
    onSkip: (f) => counter?.skipped.push({ id: f.id, message: f.message }),
  });
  return prefetchTrainData(data, { ...(r.onWait ? { onWait: r.onWait } : {}) });
}

/** Test data with all of the dataset's deterministic views per clip (softmax averaged by `evaluate`). */
export function evalDataOf(ds: ClipDataset, o: { pool?: ClipWorkerPool; concurrency?: number } | number = 2): EvalData {
  const r = typeof o === 'number' ? { concurrency: o } : o;
  return clipEvalData(ds, { ...(r.pool ? { executor: r.pool } : { concurrency: r.concurrency ?? 2 }) });
}
