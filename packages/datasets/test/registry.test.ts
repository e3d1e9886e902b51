import { describe, expect, it, vi } from 'vitest';
import {
  createDataset,
  createDatasetFromSpec,
  createSyntheticDataset,
  getDataset,
  hasDataset,
  listDatasets,
  registerDataset,
  unregisterDataset,
  type DatasetDefinition,
} from '@adatosk/datasets';

// Plugins type their options by declaration merging.
declare module '@adatosk/datasets' {
  interface DatasetRegistry {
    tinyFaces: { clips: number };
  }
}

describe('dataset registry', () => {
  const tinyFaces: DatasetDefinition<{ clips: number }> = {
    name: 'tinyFaces',
    description: 'test plugin',
    needsRoot: false,
    splits: [],
    create: (o) => createSyntheticDataset({ numClips: o.clips, numFrames: 2, size: 8 }),
  };

  it('registers a typed plugin dataset, warns on replacement, unregisters', async () => {
    registerDataset(tinyFaces);
    registerDataset(tinyFaces); // same definition: silent no-op
    const ds = await createDataset('tinyFaces', { clips: 3 });
    expect(ds.length).toBe(3);
    expect(getDataset('tinyFaces')?.description).toBe('test plugin');
    expect(hasDataset('tinyFaces')).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    registerDataset({ ...tinyFaces, create: (o: { clips: number }) => tinyFaces.create({ clips: o.clips + 1 }) });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/'tinyFaces' is already registered/));
    warn.mockRestore();
    expect((await createDataset('tinyFaces', { clips: 3 })).length).toBe(4);
    expect(unregisterDataset('tinyFaces')).toBe(true);
    expect(hasDataset('tinyFaces')).toBe(false);
    await expect(createDataset('tinyFaces', { clips: 1 })).rejects.toThrow(/unknown dataset/);
    // @ts-expect-error: options are checked against DatasetRegistry['dfew'].
    await expect(createDataset('dfew', { root: '/nonexistent', fold: 1 })).rejects.toThrow();
    expect(() => registerDataset({ name: 'x', create: () => createSyntheticDataset() } as never)).toThrow(/needsRoot/);
  });

  it('lists each dataset with its facts, so callers derive folds and roots instead of hard-coding them', () => {
    const byName = Object.fromEntries(listDatasets().map((d) => [d.name, d]));
    expect(byName.dfew).toMatchObject({ needsRoot: true, folds: [1, 2, 3, 4, 5], splits: ['train', 'test'] });
    expect(byName.mafw).toMatchObject({ needsRoot: true, folds: [1, 2, 3, 4, 5] });
    expect(byName.ferv39k).toMatchObject({ needsRoot: true, splits: ['train', 'test'] });
    expect(byName.ferv39k!.folds).toBeUndefined();
    expect(byName.synthetic).toMatchObject({ needsRoot: false, splits: ['train', 'test'] });
  });

  it('checks the options the facts govern, naming the dataset and the fix', async () => {
    await expect(createDatasetFromSpec({ name: 'dfew', options: { root: '/x', fold: 9, split: 'train' } })).rejects.toThrow(
      "dataset 'dfew' has folds 1..5; 'fold' 9 is not one of them",
    );
    await expect(createDatasetFromSpec({ name: 'dfew', options: { fold: 1, split: 'train' } })).rejects.toThrow(/needs a root folder/);
    await expect(createDatasetFromSpec({ name: 'ferv39k', options: { root: '/x', fold: 1, split: 'train' } })).rejects.toThrow(
      /'ferv39k' has no folds/,
    );
    await expect(createDatasetFromSpec({ name: 'ferv39k', options: { root: '/x', split: 'val' } })).rejects.toThrow(/splits train, test/);
    await expect(createDatasetFromSpec({ name: 'dfw', options: {} })).rejects.toThrow(
      /unknown dataset 'dfw'; did you mean 'dfew'\? Known datasets: dfew, ferv39k/,
    );
  });
});
