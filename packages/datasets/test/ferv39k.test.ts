import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LayoutManifest, FERV39K_CLASSES, createDataset, createLoader, writeFerv39kLayout } from '@adatosk/datasets';
import { drain, tempDir } from './helpers/tmp.js';

describe('FERV39K loader on a synthetic FERV39K layout', () => {
  let dir: string, cleanup: () => Promise<void>, m: LayoutManifest;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('ferv'));
    // Doubled face folder, as in several users' copies, and an outer folder from unzipping.
    m = await writeFerv39kLayout(dir, {
      nesting: ['FERV39k'],
      faceFolder: '2_ClipsforFaceCrop-002',
      faceNesting: ['2_ClipsforFaceCrop'],
      clipsPerClass: 2,
      numFrames: [6, 9],
      size: 16,
      noTrailingNewline: true,
    });
  });
  afterAll(() => cleanup());

  it('reads both splits, labels from the words, ids as Scene/Emotion/NNNN', async () => {
    for (const split of ['train', 'test'] as const) {
      const ds = await createDataset('ferv39k', { root: dir, split, size: 16, numFrames: 8 });
      const expected = m.clips.filter((c) => c.split === split);
      expect(ds.ids).toEqual(expected.map((c) => c.id));
      expect(ds.labels).toEqual(expected.map((c) => c.label));
      expect(ds.classes).toEqual(FERV39K_CLASSES);
      expect(ds.testViews).toBe(2);
    }
    const ds = await createDataset('ferv39k', { root: dir, split: 'test', size: 16, numFrames: 8 });
    expect(await drain(createLoader(ds, { batchSize: 3, mode: 'test' }).batches({ view: 1 }))).toEqual(ds.ids);
    // Stride 1 by default: 8 consecutive frames from the start in view 0.
    expect((await ds.load(0, { mode: 'test', view: 0 })).sourceFrames).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => Math.min(i, m.clips.find((c) => c.id === ds.ids[0])!.numFrames - 1)),
    );
  });

  it('rejects unknown labels, malformed lines and paths escaping the root', async () => {
    const file = join(m.datasetRoot, '4_setups', 'All_scenes', 'test_All.csv');
    await writeFile(file, 'Action/Happy/0001 Happy\nAction/Happy/0002 Joyful\n');
    await expect(createDataset('ferv39k', { root: dir, split: 'test' })).rejects.toThrow(/test_All\.csv:2: unknown label 'Joyful'/);
    await writeFile(file, 'Action/Happy/0001\n');
    await expect(createDataset('ferv39k', { root: dir, split: 'test' })).rejects.toThrow(/test_All\.csv:1: malformed line/);
    await writeFile(file, 'Action/Happy/0001 Happy\n../../../etc Happy\n');
    await expect(createDataset('ferv39k', { root: dir, split: 'test' })).rejects.toThrow(
      /test_All\.csv:2: path '\.\.\/\.\.\/\.\.\/etc' escapes the dataset root/,
    );
    await writeFile(file, '\n');
    await expect(createDataset('ferv39k', { root: dir, split: 'test' })).rejects.toThrow(/lists no clips/);
  });
});
