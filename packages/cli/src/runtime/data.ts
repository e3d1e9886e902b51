// Adapts `@adatosk/datasets` ClipDatasets to the training loop's TrainData and the evaluator's EvalData.
import * as tf from '@tensorflow/tfjs-core';
import { isClipLoadError, type ClipDataset, type ClipSample, type TrainData, type EvalData } from '@adatosk/core';

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

function stack(samples: ClipSample[]): tf.Tensor5D {
  const [T, H, W] = samples[0].shape;
  const per = T * H * W * 3;
  const data = new Float32Array(samples.length * per);
  samples.forEach((s, k) => data.set(s.frames, k * per));
  return tf.tensor5d(data, [samples.length, T, H, W, 3]);
}

export interface SkipCounter {
  skipped: { id: string; message: string }[];
}

/** Broken clips (ClipLoadError) are dropped from their batch and counted; anything else stops the run. */
export function trainDataOf(ds: ClipDataset, concurrency = 2, skips: SkipCounter = { skipped: [] }): TrainData {
  return {
    size: ds.length,
    async load(indices, ctx) {
      const got = await mapLimit(indices, concurrency, async (i) => {
        try {
          return await ds.load(i, { mode: 'train', epoch: ctx.epoch });
        } catch (e) {
          if (!isClipLoadError(e)) throw e;
          skips.skipped.push({ id: ds.ids[i], message: (e as Error).message });
          return null;
        }
      });
      const samples = got.filter((s): s is ClipSample => s !== null);
      if (samples.length === 0) throw new Error(`every clip of a batch failed to load (${indices.map((i) => ds.ids[i]).join(', ')}); run 'adatosk datasets check'`);
      return { clips: stack(samples), labels: tf.tensor1d(samples.map((s) => s.label), 'int32') };
    },
  };
}

/** Test data with all of the dataset's deterministic views per clip (softmax averaged by `evaluate`). */
export function evalDataOf(ds: ClipDataset, concurrency = 2): EvalData {
  const views = Math.max(1, ds.testViews);
  return {
    size: ds.length,
    numClasses: ds.classes.length,
    views,
    async loadViews(indices) {
      const jobs = indices.flatMap((i) => Array.from({ length: views }, (_, v) => [i, v] as const));
      const samples = await mapLimit(jobs, concurrency, ([i, v]) => ds.load(i, { mode: 'test', view: v }));
      return { clips: stack(samples), labels: Int32Array.from(indices.map((i) => ds.label(i))) };
    },
  };
}
