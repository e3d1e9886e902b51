// Options shared by every file-backed dataset (DFEW, FERV39K, MAFW, folder, list).
import type { AugmentOptions } from '../common/augment.js';
import type { SamplingKind } from '../common/sampling.js';

export interface ClipReadOptions {
  /** Frames per clip, T (default 16). */
  numFrames?: number;
  /** Output frame size in pixels, H = W (default 160); frames are resized whatever their stored size. */
  size?: number;
  /** `mae-dfer` (default): strided window, 2 test views; `segments`: DFER-CLIP's T segments, 1 test view. */
  sampling?: SamplingKind;
  /** Frame stride of the `mae-dfer` window (default 4; FERV39K 1). */
  stride?: number;
  /** Test views of the `mae-dfer` sampling (default 2: start and end windows). */
  testViews?: number;
  /** Seed of train-time sampling and augmentation (default 0). */
  seed?: number;
  /** Train-time augmentation; `false` turns it off. Default: random resized crop (0.08-1), flip, colour jitter 0.4. */
  augment?: AugmentOptions | false;
}

/** Where clips come from: frame folders, videos, or whichever exists (frames first). */
export type SourceKind = 'auto' | 'frames' | 'video';

export interface ResolvedReadOptions {
  numFrames: number;
  size: number;
  sampling: SamplingKind;
  stride: number;
  testViews: number;
  seed: number;
  augment: AugmentOptions | false;
}

export function resolveReadOptions(o: ClipReadOptions, defaults: { stride: number }): ResolvedReadOptions {
  const sampling = o.sampling ?? 'mae-dfer';
  if (sampling !== 'mae-dfer' && sampling !== 'segments')
    throw new RangeError(`sampling must be 'mae-dfer' or 'segments', got '${String(sampling)}'`);
  const numFrames = o.numFrames ?? 16;
  const size = o.size ?? 160;
  const stride = o.stride ?? defaults.stride;
  const testViews = sampling === 'segments' ? 1 : (o.testViews ?? 2);
  for (const [k, v] of Object.entries({ numFrames, size, stride, testViews })) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  }
  return { numFrames, size, sampling, stride, testViews, seed: o.seed ?? 0, augment: o.augment ?? {} };
}
