import { rm, truncate, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_COUNTS, checkDataset, writeDfewLayout, writeFerv39kLayout, writeMafwLayout } from '@adatosk/datasets';
import { tempDir } from './helpers/tmp.js';

describe('checkDataset', () => {
  it('reports counts per fold and split, differences from a complete copy, and missing/unreadable clips by id', async () => {
    const { dir, cleanup } = await tempDir('check');
    try {
      const m = await writeDfewLayout(dir, { clipsPerClass: 1, numFrames: 4, size: 8 });
      const clipRoot = join(m.datasetRoot, 'Clip', 'clip_224x224');
      const [gone, bad] = m.clips;
      await rm(join(clipRoot, gone!.id), { recursive: true });
      const first = (await readdir(join(clipRoot, bad!.id))).sort()[0]!;
      await truncate(join(clipRoot, bad!.id, first), 100);
      const exists = await checkDataset('dfew', dir);
      expect(exists.splits).toHaveLength(10);
      const f1 = exists.splits.find((s) => s.fold === 1 && s.split === 'train')!;
      expect(f1).toMatchObject({
        count: m.clips.filter((c) => c.testFold !== 1).length,
        expected: KNOWN_COUNTS.dfew[0]!.train,
        countOk: false,
      });
      expect(f1.perClass.reduce((a, b) => a + b, 0)).toBe(f1.count);
      expect(exists.clips.missing.map((p) => p.id)).toEqual([gone!.id]);
      expect(exists.clips.unreadable).toEqual([]); // 'exists' does not decode
      expect(exists.ok).toBe(false);
      expect(exists.differences.some((d) => /fold 1 train: \d+ clips listed, a complete copy has 9356/.test(d))).toBe(true);
      const decoded = await checkDataset('dfew', dir, { verify: 'decode' });
      expect(decoded.clips.unreadable.map((p) => p.id)).toEqual([bad!.id]);
      expect(decoded.splits.find((s) => s.fold === bad!.testFold && s.split === 'test')!.unreadable).toEqual([bad!.id]);
      const none = await checkDataset('dfew', dir, { verify: 'none' });
      expect(none.clips.verified).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('checks FERV39K and MAFW layouts and reports a missing split file instead of throwing', async () => {
    const { dir, cleanup } = await tempDir('check2');
    try {
      await writeFerv39kLayout(join(dir, 'ferv'), { clipsPerClass: 2, numFrames: 4, size: 8 });
      const f = await checkDataset('ferv39k', join(dir, 'ferv'));
      expect(f.splits.map((s) => [s.split, s.expected])).toEqual([
        ['train', 31088],
        ['test', 7847],
      ]);
      expect(f.clips.missing).toEqual([]);
      const m = await writeMafwLayout(join(dir, 'mafw'), { clipsPerClass: 1, numFrames: 4, size: 8, extras: false });
      await rm(join(m.datasetRoot, 'Train & Test Set', 'single', 'no_caption', 'set_4', 'test.txt'));
      const r = await checkDataset('mafw', join(dir, 'mafw'));
      expect(r.splits.find((s) => s.fold === 4 && s.split === 'test')!.error).toMatch(/set_4.*test\.txt is missing/);
      expect(r.splits.find((s) => s.fold === 1 && s.split === 'test')!.expected).toBe(1839);
      expect(r.classes).toHaveLength(11);
    } finally {
      await cleanup();
    }
  });
});
