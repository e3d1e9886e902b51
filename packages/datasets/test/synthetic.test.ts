import { describe, expect, it } from 'vitest';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import {
  SYNTHETIC_CLASSES,
  createDataset,
  createDatasetFromSpec,
  createLoader,
  createSyntheticDataset,
  listDatasets,
  renderSyntheticClip,
} from '@adatosk/datasets/synthetic';

describe('synthetic dataset', () => {
  it('renders deterministically by seed, at any size', () => {
    const a = renderSyntheticClip(42, 0, { numFrames: 8, size: 64 });
    const b = renderSyntheticClip(42, 0, { numFrames: 8, size: 64 });
    const c = renderSyntheticClip(43, 0, { numFrames: 8, size: 64 });
    expect(a.frames.map((f) => Array.from(f.subarray(0, 50)))).toEqual(b.frames.map((f) => Array.from(f.subarray(0, 50))));
    expect(Buffer.from(a.frames[3]!).equals(Buffer.from(c.frames[3]!))).toBe(false);
    expect(a.frames).toHaveLength(8);
    expect(a.frames[0]).toHaveLength(64 * 64 * 3);
    const big = renderSyntheticClip(1, 4, { numFrames: 16, size: 160 });
    expect(big.frames[15]).toHaveLength(160 * 160 * 3);
    expect(big.apexFrames.length).toBeGreaterThan(0);
  });

  it('has the 7 DFEW classes in order, balanced labels, Neutral without an apex', () => {
    expect(SYNTHETIC_CLASSES).toEqual(['Happy', 'Sad', 'Neutral', 'Angry', 'Surprise', 'Disgust', 'Fear']);
    const ds = createSyntheticDataset({ numClips: 21, numFrames: 8, size: 32 });
    expect(ds.labels.filter((l) => l === 2)).toHaveLength(3);
    expect(ds.render(2).apexFrames).toEqual([]);
    expect(ds.render(2).intensity.every((k) => k === 0)).toBe(true);
    const happy = ds.render(0);
    const peak = happy.apexFrames[0]!;
    expect(happy.intensity[peak]).toBeGreaterThan(0.8);
    expect(happy.intensity[0]! + happy.intensity[7]!).toBeLessThan(happy.intensity[peak]!);
  });

  it('repeats frames when asked and never the apex', () => {
    const clip = renderSyntheticClip(5, 1, { numFrames: 16, size: 32, repeatProb: 0.5 });
    expect(clip.repeated.length).toBeGreaterThan(0);
    for (const t of clip.repeated) {
      expect(Buffer.from(clip.frames[t]!).equals(Buffer.from(clip.frames[t - 1]!))).toBe(true);
      expect(clip.apexFrames.includes(t) && !clip.apexFrames.includes(t - 1)).toBe(false);
    }
  });

  it('loads ImageNet-normalised samples; train and test splits never share a clip', async () => {
    const train = createSyntheticDataset({ numClips: 14, numFrames: 4, size: 16, split: 'train' });
    const test = createSyntheticDataset({ numClips: 14, numFrames: 4, size: 16, split: 'test' });
    const s = await train.load(0, { mode: 'test' });
    expect(s.shape).toEqual([4, 16, 16, 3]);
    expect(s.frames[0]).toBeCloseTo((train.render(0).frames[0]![0]! / 255 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 5);
    expect(s.apexFrames).toEqual(train.render(0).apexFrames);
    const t = await test.load(0, { mode: 'test' });
    expect(Array.from(t.frames.subarray(0, 64))).not.toEqual(Array.from(s.frames.subarray(0, 64)));
    expect(test.ids[0]).toBe('test-000000');
  });

  it('resamples per epoch and augments only when asked', async () => {
    const ds = createSyntheticDataset({ numClips: 7, numFrames: 4, size: 16, resample: true, augment: { flip: true } });
    const e0 = await ds.load(1, { mode: 'train', epoch: 0 });
    const e1 = await ds.load(1, { mode: 'train', epoch: 1 });
    const e1b = await ds.load(1, { mode: 'train', epoch: 1 });
    expect(e1.label).toBe(e0.label);
    expect(Array.from(e1.frames)).toEqual(Array.from(e1b.frames));
    expect(Array.from(e1.frames)).not.toEqual(Array.from(e0.frames));
  });

  it('is registered as "synthetic" and works with the loader', async () => {
    expect(listDatasets().map((d) => d.name)).toContain('synthetic');
    const ds = await createDataset('synthetic', { numClips: 10, numFrames: 4, size: 16 });
    const loader = createLoader(ds, { batchSize: 4, mode: 'train' });
    let n = 0;
    for await (const b of loader.batches({ epoch: 0 })) {
      expect(b.apexFrames).toHaveLength(b.labels.length);
      n += b.labels.length;
    }
    expect(n).toBe(10);
    await expect(createDatasetFromSpec({ name: 'nope' })).rejects.toThrow(/unknown dataset 'nope'.*synthetic/);
    await expect(createDatasetFromSpec({ name: 'synthetc' })).rejects.toThrow(/did you mean 'synthetic'/);
    // Options the dataset's facts rule out are rejected, not ignored.
    await expect(createDatasetFromSpec({ name: 'synthetic', options: { fold: 9 } })).rejects.toThrow(
      /'synthetic' has no folds; remove the 'fold' option/,
    );
    await expect(createDatasetFromSpec({ name: 'synthetic', options: { root: '/data' } })).rejects.toThrow(/reads no folder/);
    expect(() => createSyntheticDataset({ split: 'val' as never })).toThrow(/split/);
  });
});
