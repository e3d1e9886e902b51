import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LayoutManifest,
  MAFW_CLASSES_DFER_CLIP,
  MAFW_CLASSES_MAE_DFER,
  createDataset,
  decodeText,
  writeMafwLayout,
} from '@adatosk/datasets';
import { tempDir } from './helpers/tmp.js';

describe('MAFW loader on a synthetic MAFW layout', () => {
  let dir: string, cleanup: () => Promise<void>, m: LayoutManifest;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('mafw'));
    m = await writeMafwLayout(dir, { nesting: ['MAFW'], clipsPerClass: 2, numFrames: [6, 10], size: 16, videos: true });
  });
  afterAll(() => cleanup());

  it('reads single-label lists in the MAE-DFER order (default) and the DFER-CLIP order', async () => {
    const ds = await createDataset('mafw', { root: dir, fold: 3, split: 'test', size: 16, numFrames: 4 });
    const expected = m.clips.filter((c) => c.testFold === 3);
    expect(ds.ids).toEqual(expected.map((c) => c.id));
    expect(ds.labels).toEqual(expected.map((c) => MAFW_CLASSES_MAE_DFER.indexOf(c.written as never)));
    expect(ds.classes).toHaveLength(11);
    const clip = await createDataset('mafw', { root: dir, fold: 3, split: 'test', classOrder: 'dfer-clip' });
    expect(clip.labels).toEqual(expected.map((c) => MAFW_CLASSES_DFER_CLIP.indexOf(c.written as never)));
    const s = await ds.load(0, { mode: 'train' });
    expect(s.shape).toEqual([4, 16, 16, 3]);
  });

  it('decodes the GB18030 with_caption lists (not valid UTF-8) and the compound lists', async () => {
    const file = join(m.datasetRoot, 'Train & Test Set', 'single', 'with_caption', 'set_1', 'train.txt');
    const bytes = await readFile(file);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(decodeText(bytes)).toContain('你好');
    const cap = await createDataset('mafw', { root: dir, fold: 1, split: 'train', captions: true });
    expect(cap.length).toBe(m.clips.filter((c) => c.testFold !== 1 && c.written !== 'neutral').length);
    const comp = await createDataset('mafw', { root: dir, fold: 1, split: 'train', labels: 'compound' });
    expect(comp.classes.slice(0, 11)).toEqual(MAFW_CLASSES_MAE_DFER);
    expect(comp.classes.some((c) => c.endsWith('_anxiety'))).toBe(true);
    expect(comp.labels.some((l) => l >= 11)).toBe(true);
    await expect(createDataset('mafw', { root: dir, fold: 1, split: 'train', labels: 'single', captions: false })).resolves.toBeTruthy();
  });

  it('uses data/clips videos when asked', async () => {
    const ds = await createDataset('mafw', { root: dir, fold: 2, split: 'test', size: 16, numFrames: 4, source: 'video' });
    const s = await ds.load(1, { mode: 'test', view: 1 });
    expect(s.shape).toEqual([4, 16, 16, 3]);
  });

  it('fails at once on a compound word in a single list, a path, or a malformed line', async () => {
    const file = join(m.datasetRoot, 'Train & Test Set', 'single', 'no_caption', 'set_5', 'test.txt');
    await writeFile(file, '00025.mp4 anger\n00026.mp4 anger_disgust\n');
    await expect(createDataset('mafw', { root: dir, fold: 5, split: 'test' })).rejects.toThrow(
      /test\.txt:2: unknown label 'anger_disgust'/,
    );
    await writeFile(file, '../00025.mp4 anger\n');
    await expect(createDataset('mafw', { root: dir, fold: 5, split: 'test' })).rejects.toThrow(/test\.txt:1: .*escape/);
    await writeFile(file, '00025.mp4 anger extra\n');
    await expect(createDataset('mafw', { root: dir, fold: 5, split: 'test' })).rejects.toThrow(/test\.txt:1: malformed line/);
  });
});
