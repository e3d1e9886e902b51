import { describe, expect, it, vi } from 'vitest';
import { createDataset, createSyntheticDataset, getDatasetEntry, registerDataset, unregisterDataset } from '@adatosk/datasets';

// Plugins type their options by declaration merging.
declare module '@adatosk/datasets' {
  interface DatasetRegistry {
    tinyFaces: { clips: number };
  }
}

describe('dataset registry', () => {
  it('registers a typed plugin dataset, warns on replacement, unregisters', async () => {
    const factory = (o: { clips: number }) => createSyntheticDataset({ numClips: o.clips, numFrames: 2, size: 8 });
    registerDataset('tinyFaces', factory, 'test plugin');
    registerDataset('tinyFaces', factory); // same factory: silent no-op
    const ds = await createDataset('tinyFaces', { clips: 3 });
    expect(ds.length).toBe(3);
    expect(getDatasetEntry('tinyFaces')?.description).toBe('test plugin');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    registerDataset('tinyFaces', (o: { clips: number }) => factory({ clips: o.clips + 1 }));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/'tinyFaces' was already registered/));
    warn.mockRestore();
    expect((await createDataset('tinyFaces', { clips: 3 })).length).toBe(4);
    expect(unregisterDataset('tinyFaces')).toBe(true);
    await expect(createDataset('tinyFaces', { clips: 1 })).rejects.toThrow(/unknown dataset/);
    // @ts-expect-error: options are checked against DatasetRegistry['dfew'].
    await expect(createDataset('dfew', { root: '/nonexistent', fold: 1 })).rejects.toThrow();
  });
});
