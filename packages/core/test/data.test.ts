import { describe, expect, it } from 'vitest';
import {
  ClipLoadError,
  DatasetError,
  IMAGENET_MEAN,
  IMAGENET_STD,
  isClipLoadError,
  isDatasetError,
  type ClipDataset,
  type ClipSample,
} from '@adatosk/core';

describe('dataset contract', () => {
  it('ClipLoadError carries the clip id and kind; DatasetError names file and line', () => {
    const e = new ClipLoadError('02522', 'missing', 'clip folder is missing');
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'ClipLoadError', clipId: '02522', kind: 'missing' });
    expect(isClipLoadError(e)).toBe(true);
    expect(isClipLoadError(new Error('x'))).toBe(false);
    // Recognised by name, so a second copy of the package still matches.
    expect(isClipLoadError(Object.assign(new Error('y'), { name: 'ClipLoadError', clipId: 'a' }))).toBe(true);
    const d = new DatasetError('unknown label', 'set_1.csv', 3);
    expect(d.message).toBe('set_1.csv:3: unknown label');
    expect(new DatasetError('empty', 'a.txt').message).toBe('a.txt: empty');
    expect(new DatasetError('plain').message).toBe('plain');
    expect(isDatasetError(d)).toBe(true);
    expect(isDatasetError(e)).toBe(false);
  });

  it('exports ImageNet statistics and a usable ClipDataset shape', async () => {
    expect(IMAGENET_MEAN).toEqual([0.485, 0.456, 0.406]);
    expect(IMAGENET_STD).toEqual([0.229, 0.224, 0.225]);
    const sample: ClipSample = { id: 'x', label: 1, frames: new Float32Array(12), shape: [1, 2, 2, 3] };
    const ds: ClipDataset = {
      name: 'one',
      classes: ['a', 'b'],
      length: 1,
      ids: ['x'],
      labels: [1],
      numFrames: 1,
      size: 2,
      testViews: 1,
      seed: 0,
      label: () => 1,
      load: async () => sample,
    };
    expect((await ds.load(0, { mode: 'test' })).frames).toHaveLength(12);
  });
});
