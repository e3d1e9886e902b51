// The training loop's TrainData over any ClipDataset: clips loaded in a worker pool straight into a shared
// batch buffer, broken clips skipped and counted, one tensor per batch. With a frame cache and
// `augmentOn: 'device'`, the stored uint8 frames go up packed and are augmented with tensor ops.
import * as tf from '@tensorflow/tfjs-core';
import type { ClipDataset, ClipFailure, TrainBatch, TrainData } from '@adatosk/core';
import { augmentOnDevice } from '../augment/device.js';
import { isPlannedDataset } from '../work/planned.js';
import type { ClipExecutor } from '../work/types.js';
import { BufferPool, canShare } from './buffers.js';
import { loadIntoSlots } from './clip-slots.js';
import type { AugmentOn } from './types.js';

export interface ClipTrainDataOptions {
  /** Where clips are decoded and augmented (a ClipWorkerPool); default: the calling thread. */
  executor?: ClipExecutor;
  /** Clip loads in flight (default: the executor's capacity, else 2). */
  concurrency?: number;
  /** `cpu` (default) or `device` (frame caches only: the device crops, flips, jitters and normalises). */
  augmentOn?: AugmentOn;
  /** Called for every skipped clip. */
  onSkip?: (failure: ClipFailure) => void;
}

export interface ClipTrainData extends TrainData {
  readonly dataset: ClipDataset;
  /** Every clip skipped so far. */
  readonly skipped: readonly ClipFailure[];
}

export function clipTrainData(ds: ClipDataset, o: ClipTrainDataOptions = {}): ClipTrainData {
  const augmentOn = o.augmentOn ?? 'cpu';
  const planned = isPlannedDataset(ds) ? ds : undefined;
  if (augmentOn === 'device' && !planned?.packable)
    throw new RangeError(`${ds.name}: augmentOn 'device' needs a frame cache (\`adatosk datasets prepare\`, then read it with --cache)`);
  const T = ds.numFrames,
    S = ds.size;
  const stored = augmentOn === 'device' ? (ds as unknown as { storedSize: number }).storedSize : S;
  const slotLength = augmentOn === 'device' ? T * stored * stored : T * S * S * 3;
  const concurrency = Math.max(1, o.concurrency ?? (o.executor as { capacity?: number } | undefined)?.capacity ?? 2);
  const shared = o.executor !== undefined && canShare();
  const pools = new Map<number, BufferPool<Float32Array | Int32Array>>();
  const skipped: ClipFailure[] = [];
  const poolFor = (clips: number) => {
    let p = pools.get(clips);
    if (!p) pools.set(clips, (p = new BufferPool(augmentOn === 'device' ? Int32Array : Float32Array, clips * slotLength, shared)));
    return p;
  };
  return {
    size: ds.length,
    dataset: ds,
    skipped,
    async load(indices, ctx): Promise<TrainBatch> {
      const pool = poolFor(indices.length);
      const buffer = pool.take();
      let r: Awaited<ReturnType<typeof loadIntoSlots>>;
      try {
        r = await loadIntoSlots(
          ds,
          indices.map((index) => ({ index, options: { mode: 'train', epoch: ctx.epoch } })),
          buffer,
          slotLength,
          {
            executor: o.executor,
            concurrency,
            output: augmentOn === 'device' ? 'packed' : 'float',
          },
        );
      } catch (error) {
        pool.settle(buffer);
        throw error;
      }
      for (const f of r.failures) {
        skipped.push(f);
        o.onSkip?.(f);
      }
      const B = r.kept.length;
      if (B === 0) {
        pool.settle(buffer);
        throw new Error(`every clip of a batch failed to load (${indices.map((i) => ds.ids[i]).join(', ')}); run 'adatosk datasets check'`);
      }
      const view = buffer.subarray(0, B * slotLength);
      const labels = tf.tensor1d(r.labels, 'int32');
      if (augmentOn === 'cpu') {
        const clips = tf.tensor5d(view as Float32Array, [B, T, S, S, 3]);
        pool.settle(buffer, clips);
        return { clips, labels };
      }
      const packed = tf.tensor3d(view as Int32Array, [B * T, stored, stored], 'int32');
      pool.settle(buffer, packed);
      const clips = augmentOnDevice(packed, { framesPerClip: T, augments: r.augments });
      packed.dispose();
      return { clips, labels };
    },
  };
}
