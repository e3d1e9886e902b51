// A TrainData wrapper that loads the next batch while the current step runs: the training loop calls
// `prefetch(nextIndices, nextCtx)` (a hint) before it waits for the current batch, and the next `load`
// with the same arguments takes the batch already loading (decoded in workers, uploaded when ready).
// It also measures how long each `load` kept the loop waiting: the data part of the time outside the model.
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainBatch, TrainData } from '@adatosk/core';

type Ctx = { epoch: number; seed: number };

export interface DataWait {
  epoch: number;
  /** Milliseconds `load` kept the caller waiting (0 when the batch was ready). */
  waitMs: number;
  /** True when the batch had been prefetched. */
  prefetched: boolean;
}

export interface PrefetchStats {
  loads: number;
  prefetched: number;
  totalWaitMs: number;
  /** Wait of the latest `load`. */
  lastWaitMs: number;
}

export interface PrefetchingTrainData extends TrainData {
  prefetch(indices: number[], ctx: Ctx): void;
  stats(): PrefetchStats;
  /** Disposes batches prefetched but never asked for (e.g. after an aborted run). */
  dispose(): Promise<void>;
}

export interface PrefetchOptions {
  /** Batches held ahead (default 2: the next micro-batch and one more). */
  depth?: number;
  /** Called after every `load` with how long it waited. */
  onWait?: (wait: DataWait) => void;
}

const keyOf = (indices: number[], ctx: Ctx) => `${ctx.epoch}:${ctx.seed}:${indices.join(',')}`;

function disposeBatch(b: TrainBatch): void {
  (b.clips as tf.Tensor).dispose();
  (b.labels as tf.Tensor).dispose();
}

export function prefetchTrainData(inner: TrainData, o: PrefetchOptions = {}): PrefetchingTrainData {
  const depth = Math.max(1, o.depth ?? 2);
  const ahead = new Map<string, Promise<TrainBatch>>();
  const stats: PrefetchStats = { loads: 0, prefetched: 0, totalWaitMs: 0, lastWaitMs: 0 };
  const drop = (key: string) => {
    const p = ahead.get(key);
    ahead.delete(key);
    p?.then(disposeBatch, () => {});
  };
  return {
    size: inner.size,
    prefetch(indices, ctx) {
      const key = keyOf(indices, ctx);
      if (ahead.has(key)) return;
      while (ahead.size >= depth) drop(ahead.keys().next().value as string);
      const p = inner.load(indices, ctx);
      p.catch(() => {}); // surfaces when `load` takes it
      ahead.set(key, p);
    },
    async load(indices, ctx) {
      const key = keyOf(indices, ctx);
      const pending = ahead.get(key);
      ahead.delete(key);
      const t0 = performance.now();
      const batch = await (pending ?? inner.load(indices, ctx));
      const waitMs = performance.now() - t0;
      stats.loads++;
      if (pending) stats.prefetched++;
      stats.totalWaitMs += waitMs;
      stats.lastWaitMs = waitMs;
      o.onWait?.({ epoch: ctx.epoch, waitMs, prefetched: pending !== undefined });
      return batch;
    },
    stats: () => ({ ...stats }),
    async dispose() {
      const pending = [...ahead.values()];
      ahead.clear();
      for (const r of await Promise.allSettled(pending)) if (r.status === 'fulfilled') disposeBatch(r.value);
    },
  };
}
