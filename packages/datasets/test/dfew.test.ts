import { mkdtemp, readdir, rm, rm as remove, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LayoutManifest, createDataset, createLoader, listFrames, writeDfewLayout, DFEW_CLASSES } from '@adatosk/datasets';
import { drain, tempDir } from './helpers/tmp.js';

describe('DFEW loader on a synthetic DFEW layout', () => {
  let dir: string;
  let manifest: LayoutManifest;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adatosk-dfew-'));
    manifest = await writeDfewLayout(dir, { nesting: ['DFEW-part2'], frameNesting: 'clip_224', clipsPerClass: 2 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads every fold with the right clips and labels (nested root, hyphen spelling)', async () => {
    for (let fold = 1; fold <= 5; fold++) {
      const test = await createDataset('dfew', { root: dir, fold, split: 'test', size: 32 });
      const train = await createDataset('dfew', { root: dir, fold, split: 'train', size: 32 });
      const expectedTest = manifest.clips.filter((c) => c.testFold === fold);
      expect(test.length).toBe(expectedTest.length);
      expect(train.length).toBe(manifest.clips.length - expectedTest.length);
      expect(test.ids).toEqual(expectedTest.map((c) => c.id));
      expect(test.labels).toEqual(expectedTest.map((c) => c.label));
      expect(test.classes).toEqual(DFEW_CLASSES);
      expect(test.name).toBe(`dfew/fold${fold}/test`);
    }
  });

  it('loads clips deterministically by (seed, epoch, index)', async () => {
    const ds = await createDataset('dfew', { root: dir, fold: 1, split: 'train', size: 32, numFrames: 8 });
    const a = await ds.load(0, { mode: 'train', epoch: 3 });
    const b = await ds.load(0, { mode: 'train', epoch: 3 });
    const c = await ds.load(0, { mode: 'train', epoch: 4 });
    expect(a.shape).toEqual([8, 32, 32, 3]);
    expect(a.frames).toEqual(b.frames);
    expect(a.frames).not.toEqual(c.frames);
    const t0 = await ds.load(0, { mode: 'test', view: 0 });
    const t1 = await ds.load(0, { mode: 'test', view: 1 });
    expect(t0.sourceFrames![0]).toBe(0);
    expect(t1.sourceFrames![0]).toBeGreaterThanOrEqual(t0.sourceFrames![0]!);
    const loader = createLoader(ds, { batchSize: 4, mode: 'train' });
    let n = 0;
    for await (const batch of loader.batches({ epoch: 0 })) {
      expect(batch.clips.length).toBe(batch.labels.length * 8 * 32 * 32 * 3);
      n += batch.labels.length;
    }
    expect(n).toBe(ds.length);
  });
});

describe('DFEW layout variants and broken clips', () => {
  it('reads the README spelling, 16-frame folders with unpadded names in numeric order, padded CSV ids', async () => {
    const { dir, cleanup } = await tempDir('dfew16');
    try {
      const m = await writeDfewLayout(dir, {
        spelling: 'underscore',
        frames: 'clip_224x224_16f',
        paddedCsvIds: true,
        clipsPerClass: 1,
        numFrames: 12,
        size: 16,
        noTrailingNewline: true,
      });
      const ds = await createDataset('dfew', { root: dir, fold: 2, split: 'test', size: 16, numFrames: 12, stride: 1, testViews: 1 });
      expect(ds.ids).toEqual(m.clips.filter((c) => c.testFold === 2).map((c) => c.id));
      // Frame 10.jpg must come after 9.jpg: sourceFrames are 0..11 and pixels match the stored frames in order.
      const s = await ds.load(0, { mode: 'test' });
      expect(s.sourceFrames).toEqual(Array.from({ length: 12 }, (_, i) => i));
      const files = await readdir(join(m.datasetRoot, 'Clip', 'clip_224x224_16f', ds.ids[0]!));
      expect(files).toContain('10.jpg');
      const sorted = await listFrames(join(m.datasetRoot, 'Clip', 'clip_224x224_16f', ds.ids[0]!), ds.ids[0]!);
      expect(sorted.map((p) => p.split('/').pop())).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}.jpg`));
    } finally {
      await cleanup();
    }
  });

  it('falls back to Clip/original videos with unpadded stems (ffmpeg)', async () => {
    const { dir, cleanup } = await tempDir('dfewvid');
    try {
      const m = await writeDfewLayout(dir, { frames: 'none', videos: 'unpadded', clipsPerClass: 1, numFrames: 10, size: 32 });
      const ds = await createDataset('dfew', { root: dir, fold: 1, split: 'test', size: 16, numFrames: 4, stride: 2 });
      expect(ds.length).toBe(m.clips.filter((c) => c.testFold === 1).length);
      const s = await ds.load(0, { mode: 'train', epoch: 1 });
      expect(s.shape).toEqual([4, 16, 16, 3]);
      expect(Number.isFinite(s.frames[100])).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('skips a missing clip folder, a truncated frame and an undecodable video, naming them', async () => {
    const { dir, cleanup } = await tempDir('dfewbad');
    try {
      const m = await writeDfewLayout(dir, { clipsPerClass: 3, numFrames: 6, size: 16, videos: 'padded' });
      const clipRoot = join(m.datasetRoot, 'Clip', 'clip_224x224');
      const test = m.clips.filter((c) => c.testFold === 1);
      const [gone, truncated, badVideo] = test;
      await remove(join(clipRoot, gone!.id), { recursive: true });
      await remove(join(m.datasetRoot, 'Clip', 'original', `${gone!.id}.mp4`));
      const frames = (await readdir(join(clipRoot, truncated!.id))).sort();
      await truncate(join(clipRoot, truncated!.id, frames[0]!), 200);
      await remove(join(clipRoot, badVideo!.id), { recursive: true });
      await writeFile(join(m.datasetRoot, 'Clip', 'original', `${badVideo!.id}.mp4`), 'not a video');
      const ds = await createDataset('dfew', { root: dir, fold: 1, split: 'test', size: 16, numFrames: 4 });
      const loader = createLoader(ds, { batchSize: 2, mode: 'test', maxFailureFraction: 1 });
      const ids = await drain(loader.batches());
      expect(ids).toHaveLength(test.length - 3);
      const failures = Object.fromEntries(loader.report().failures.map((f) => [f.id, f.kind]));
      expect(failures).toEqual({ [gone!.id]: 'missing', [truncated!.id]: 'unreadable', [badVideo!.id]: 'decode' });
      // The default fraction (0.1) stops this pass: 3 of ~4 clips are broken.
      await expect(drain(createLoader(ds, { batchSize: 2, mode: 'test' }).batches())).rejects.toThrow(/could not be loaded/);
    } finally {
      await cleanup();
    }
  });

  it('fails at once on an unknown label, a malformed line, an empty split, with file and line', async () => {
    const { dir, cleanup } = await tempDir('dfewerr');
    try {
      const m = await writeDfewLayout(dir, { clipsPerClass: 1, numFrames: 4, size: 8 });
      const csv = join(m.datasetRoot, 'EmoLabel_DataSplit', 'test(single-labeled)', 'set_1.csv');
      await writeFile(csv, 'video_name,label\n2522,6\n2536,9\n');
      await expect(createDataset('dfew', { root: dir, fold: 1, split: 'test' })).rejects.toThrow(/set_1\.csv:3: unknown label '9'/);
      await writeFile(csv, 'video_name,label\n2522,6\nabc,1\n');
      await expect(createDataset('dfew', { root: dir, fold: 1, split: 'test' })).rejects.toThrow(
        /set_1\.csv:3: malformed video_name 'abc'/,
      );
      await writeFile(csv, 'video_name,label\n');
      await expect(createDataset('dfew', { root: dir, fold: 1, split: 'test' })).rejects.toThrow(/set_1\.csv: split file lists no clips/);
      await expect(createDataset('dfew', { root: dir, fold: 6, split: 'test' })).rejects.toThrow(/folds 1\.\.5/);
      await expect(createDataset('dfew', { root: join(dir, 'nope'), fold: 1, split: 'test' })).rejects.toThrow(/not a folder/);
    } finally {
      await cleanup();
    }
  });
});
