import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type TrainableModel, train } from '@adatosk/core';
import {
  ClipWorkerPool,
  clipEvalData,
  clipTrainData,
  createDataset,
  openCacheDataset,
  prefetchTrainData,
  prepareCache,
  writeDfewLayout,
  type CacheClipDataset,
} from '@adatosk/datasets';
import { tempDir } from './helpers/tmp.js';

/** The smallest trainable model: a weight per channel, loss = mean(clips * w)^2 + cross-entropy-free. */
function tinyModel(): TrainableModel {
  const w = tf.variable(tf.ones([3]), true, 'w');
  return {
    trainableVariables: { w },
    numLayers: 0,
    computeLoss(batch) {
      const loss = tf.square(tf.mean(tf.mul(batch.clips, w))) as tf.Scalar;
      return { loss, logs: { cls: tf.clone(loss), rec: tf.scalar(0) } };
    },
  };
}

describe('training data: workers, prefetch, device augmentation', () => {
  let dir: string, cleanup: () => Promise<void>;
  let pool: ClipWorkerPool;
  let cache: CacheClipDataset;
  const read = { numFrames: 4, size: 16, stride: 2 };
  beforeAll(async () => {
    await tf.setBackend('cpu');
    ({ dir, cleanup } = await tempDir('traindata'));
    await writeDfewLayout(join(dir, 'DFEW'), { clipsPerClass: 2, numFrames: [8, 12], size: 24 });
    pool = await ClipWorkerPool.start({ workers: 2 });
    await prepareCache({
      dataset: 'dfew',
      root: join(dir, 'DFEW'),
      out: join(dir, 'cache'),
      folds: [1],
      size: 16,
      storedSize: 20,
      executor: pool,
    });
    cache = await openCacheDataset(join(dir, 'cache'), { fold: 1, split: 'train', ...read });
  });
  afterAll(async () => {
    await pool.close();
    await cleanup();
  });

  it('the trainer hints every next micro-batch; the wrapper serves it and counts the wait', async () => {
    const source = await createDataset('dfew', { root: join(dir, 'DFEW'), fold: 1, split: 'train', ...read });
    const waits: number[] = [];
    const data = prefetchTrainData(clipTrainData(source, { executor: pool }), { onWait: (w) => waits.push(w.waitMs) });
    const loads: string[] = [];
    const traced = {
      ...data,
      load: (ix: number[], ctx: { epoch: number; seed: number }) => (loads.push(ix.join(',')), data.load(ix, ctx)),
      prefetch: data.prefetch,
    };
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const alive: number[] = [];
    const r = await train(
      model,
      traced,
      { epochs: 2, batchSize: 2, accumSteps: 2, lr: 1e-3, seed: 3 },
      {
        onEvent: (e) => e.type === 'step' && alive.push(tf.memory().numTensors),
      },
    );
    await data.dispose();
    const afterPrefetched = tf.memory().numTensors - before;
    const s = data.stats();
    const perEpoch = Math.floor(source.length / 4) * 2;
    expect(r.step).toBe(Math.floor(source.length / 4) * 2);
    expect(s.loads).toBe(perEpoch * 2);
    // Every micro-batch but the first of each epoch was hinted (accumulation included).
    expect(s.prefetched).toBe(s.loads - 2);
    expect(waits).toHaveLength(s.loads);
    // Flat across steps, give or take the one batch loading ahead; nothing left once disposed (same as without the wrapper).
    expect(Math.max(...alive) - Math.min(...alive)).toBeLessThanOrEqual(2);
    model.trainableVariables.w!.dispose();
    const plainModel = tinyModel();
    const base = tf.memory().numTensors;
    await train(plainModel, clipTrainData(source, { executor: pool }), { epochs: 2, batchSize: 2, accumSteps: 2, lr: 1e-3, seed: 3 });
    expect(afterPrefetched).toBe(tf.memory().numTensors - base);
    plainModel.trainableVariables.w!.dispose();
    // Same data with and without the wrapper: the hint changes nothing but timing.
    const plain = clipTrainData(source, { executor: pool });
    const hinted = prefetchTrainData(clipTrainData(source, { executor: pool }));
    hinted.prefetch([3, 1], { epoch: 1, seed: 9 });
    const [a, b] = [await plain.load([3, 1], { epoch: 1, seed: 9 }), await hinted.load([3, 1], { epoch: 1, seed: 9 })];
    expect(Array.from(await b.clips.data())).toEqual(Array.from(await a.clips.data()));
    expect(Array.from(await b.labels.data())).toEqual(Array.from(await a.labels.data()));
    tf.dispose([a.clips, a.labels, b.clips, b.labels]);
  });

  it('augments on the device (packed upload) to the same batches as in the workers', async () => {
    const cpu = clipTrainData(cache, { executor: pool });
    const device = clipTrainData(cache, { executor: pool, augmentOn: 'device' });
    const indices = [0, 2, 5, 7];
    const before = tf.memory().numTensors;
    const a = await cpu.load(indices, { epoch: 3, seed: 0 });
    const b = await device.load(indices, { epoch: 3, seed: 0 });
    expect(b.clips.shape).toEqual(a.clips.shape);
    const [x, y] = [await a.clips.data(), await b.clips.data()];
    let max = 0;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
    expect(max).toBeLessThan(1e-3);
    tf.dispose([a.clips, a.labels, b.clips, b.labels]);
    expect(tf.memory().numTensors).toBe(before);
    const source = await createDataset('dfew', { root: join(dir, 'DFEW'), fold: 1, split: 'train', ...read });
    expect(() => clipTrainData(source, { augmentOn: 'device' })).toThrow(/needs a frame cache/);
  });

  it('skips broken clips in a batch and names them; evaluation loads every view', async () => {
    const skipped: string[] = [];
    const broken = {
      ...cache,
      plan: async (i: number, o: Parameters<CacheClipDataset['plan']>[1]) => {
        if (i === 1)
          throw Object.assign(new Error('clip x is broken'), { name: 'ClipLoadError', clipId: cache.ids[1], kind: 'unreadable' });
        return cache.plan(i, o);
      },
    } as CacheClipDataset;
    const data = clipTrainData(broken, { executor: pool, onSkip: (f) => skipped.push(f.id) });
    const batch = await data.load([0, 1, 2], { epoch: 0, seed: 0 });
    expect(batch.clips.shape[0]).toBe(2);
    expect(Array.from(await batch.labels.data())).toEqual([cache.labels[0], cache.labels[2]]);
    expect(skipped).toEqual([cache.ids[1]]);
    tf.dispose([batch.clips, batch.labels]);
    const test = await openCacheDataset(join(dir, 'cache'), { fold: 1, split: 'test', ...read });
    const ev = clipEvalData(test, { executor: pool });
    const views = await ev.loadViews([0, 1]);
    expect(views.clips.shape).toEqual([2 * test.testViews, 4, 16, 16, 3]);
    const direct = await test.load(1, { mode: 'test', view: 1 });
    expect(Array.from((await views.clips.data()).subarray(3 * 4 * 16 * 16 * 3))).toEqual(Array.from(direct.frames));
    views.clips.dispose();
  });
});
