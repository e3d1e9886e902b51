// For benchmarks: a TrainData that delivers a cache's stored frames packed for `augmentOnDevice` (one int32
// per pixel), without augmenting them, so the CPU side of the device path can be timed on a machine
// whose only "device" is the CPU. `clips` is [B, T, H, W, 1] int32 packed pixels, not model input.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainBatch, TrainData } from '@adatosk/core';
import { BufferPool, canShare } from '../training/buffers.js';
import { loadIntoSlots } from '../training/clip-slots.js';
import type { CacheClipDataset } from '../cache/dataset.js';
import type { ClipExecutor } from '../work/types.js';

export function packedTrainData(ds: CacheClipDataset, o: { executor?: ClipExecutor; concurrency?: number } = {}): TrainData {
  const T = ds.numFrames,
    H = ds.storedSize;
  const slotLength = T * H * H;
  const concurrency = Math.max(1, o.concurrency ?? (o.executor as { capacity?: number } | undefined)?.capacity ?? 2);
  const pools = new Map<number, BufferPool<Int32Array>>();
  return {
    size: ds.length,
    async load(indices, ctx): Promise<TrainBatch> {
      let pool = pools.get(indices.length);
      if (!pool)
        pools.set(
          indices.length,
          (pool = new BufferPool<Int32Array>(Int32Array, indices.length * slotLength, o.executor !== undefined && canShare())),
        );
      const buffer = pool.take();
      const r = await loadIntoSlots(
        ds,
        indices.map((index) => ({ index, options: { mode: 'train' as const, epoch: ctx.epoch } })),
        buffer,
        slotLength,
        {
          executor: o.executor,
          concurrency,
          output: 'packed',
        },
      );
      const B = r.kept.length;
      const clips = tf.tensor5d(buffer.subarray(0, B * slotLength), [B, T, H, H, 1], 'int32') as unknown as tf.Tensor5D;
      pool.settle(buffer, clips);
      return { clips, labels: tf.tensor1d(r.labels, 'int32') };
    },
  };
}
