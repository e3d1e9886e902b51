// The evaluator's EvalData over any ClipDataset: every deterministic test view of each clip, loaded in the
// worker pool into one shared buffer. A clip that fails to load stops the evaluation (its metrics would be wrong).
import * as tf from '@tensorflow/tfjs-core';
import { ClipLoadError, type ClipDataset, type EvalData } from '@adatosk/core';
import type { ClipExecutor } from '../work/types.js';
import { BufferPool, canShare } from './buffers.js';
import { loadIntoSlots } from './clip-slots.js';

export interface ClipEvalDataOptions {
  executor?: ClipExecutor;
  /** Clip loads in flight (default: the executor's capacity, else 2). */
  concurrency?: number;
}

export function clipEvalData(ds: ClipDataset, o: ClipEvalDataOptions = {}): EvalData {
  const views = Math.max(1, ds.testViews);
  const T = ds.numFrames,
    S = ds.size;
  const slotLength = T * S * S * 3;
  const concurrency = Math.max(1, o.concurrency ?? (o.executor as { capacity?: number } | undefined)?.capacity ?? 2);
  const pools = new Map<number, BufferPool<Float32Array>>();
  const shared = o.executor !== undefined && canShare();
  return {
    size: ds.length,
    numClasses: ds.classes.length,
    views,
    async loadViews(indices) {
      const loads = indices.flatMap((index) =>
        Array.from({ length: views }, (_, view) => ({ index, options: { mode: 'test' as const, view } })),
      );
      let pool = pools.get(loads.length);
      if (!pool) pools.set(loads.length, (pool = new BufferPool<Float32Array>(Float32Array, loads.length * slotLength, shared)));
      const buffer = pool.take();
      const r = await loadIntoSlots(ds, loads, buffer, slotLength, { executor: o.executor, concurrency, output: 'float' }).catch(
        (error) => {
          pool!.settle(buffer);
          throw error;
        },
      );
      if (r.failures.length > 0) {
        pool.settle(buffer);
        const f = r.failures[0]!;
        throw new ClipLoadError(
          f.id,
          f.kind,
          `evaluation needs every test clip: ${f.message}${r.failures.length > 1 ? ` (and ${r.failures.length - 1} more)` : ''}`,
        );
      }
      const clips = tf.tensor5d(buffer, [loads.length, T, S, S, 3]);
      pool.settle(buffer, clips);
      return { clips, labels: Int32Array.from(indices.map((i) => ds.label(i))) };
    },
  };
}
