// The synthetic dataset as a ClipDataset: balanced labels, train/test splits drawn from disjoint seed
// streams, optional fresh renders per epoch and light augmentation (flip, colour jitter).
import type { DatasetDefinition } from '../registry.js';
import { mixSeed, seedStream, type ClipDataset, type ClipLoadOptions, type ClipSample } from '@adatosk/core';
import { type AugmentOptions, normalizeFrame, drawAugment } from '../common/augment.js';
import { flipHorizontal } from '../common/flip.js';
import { SYNTHETIC_CLASSES } from './classes.js';
import { SYNTHETIC_DEFAULTS, type SyntheticClip, type SyntheticClipOptions, renderSyntheticClip } from './generator.js';

export interface SyntheticDatasetOptions extends SyntheticClipOptions {
  /** Which split (default `train`); train and test never share a clip seed. */
  split?: 'train' | 'test';
  /** Number of clips (default 700 for train, 280 for test), labels balanced over the 7 classes. */
  numClips?: number;
  /** Dataset seed (default 0). */
  seed?: number;
  /** In train mode, render every clip afresh each epoch (new identity, timing, scene; same label). Default false. */
  resample?: boolean;
  /**
   * Train-time augmentation: horizontal flip and colour jitter (no crop: the face already moves).
   * Default `false`; pass e.g. `{ flip: true, jitter: { brightness: 0.2, contrast: 0.2, saturation: 0.2 } }`.
   */
  augment?: Pick<AugmentOptions, 'flip' | 'jitter'> | false;
  /** Keep rendered clips in memory (default: when they fit in 256 MiB). */
  cache?: boolean;
}

export interface SyntheticDataset extends ClipDataset {
  readonly options: Required<SyntheticClipOptions>;
  /** The raw rendered clip (uint8 frames, intensity curve, apex frames) for index i and epoch. */
  render(i: number, epoch?: number): SyntheticClip;
}

/** Creates the built-in synthetic dataset. */
export function createSyntheticDataset(options: SyntheticDatasetOptions = {}): SyntheticDataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new RangeError(`synthetic split must be 'train' or 'test', got '${String(split)}'`);
  const clipOptions: Required<SyntheticClipOptions> = { ...SYNTHETIC_DEFAULTS };
  for (const key of Object.keys(SYNTHETIC_DEFAULTS) as (keyof SyntheticClipOptions)[]) {
    if (options[key] !== undefined) (clipOptions as Record<string, unknown>)[key] = options[key];
  }
  const numClips = options.numClips ?? (split === 'train' ? 700 : 280);
  if (!(Number.isInteger(numClips) && numClips > 0)) throw new RangeError(`numClips must be a positive integer, got ${numClips}`);
  const seed = options.seed ?? 0;
  const resample = options.resample ?? false;
  const augment = options.augment ?? false;
  const T = clipOptions.numFrames,
    S = clipOptions.size;
  const bytes = numClips * T * S * S * 3;
  const useCache = options.cache ?? bytes <= 256 * 1024 * 1024;
  const cache = new Map<number, SyntheticClip>();
  const labels = Array.from({ length: numClips }, (_, i) => i % SYNTHETIC_CLASSES.length);
  const ids = labels.map((_, i) => `${split}-${String(i).padStart(6, '0')}`);

  const render = (i: number, epoch = 0): SyntheticClip => {
    if (!(i >= 0 && i < numClips)) throw new RangeError(`clip index ${i} is outside 0..${numClips - 1}`);
    const fresh = resample && split === 'train' && epoch > 0;
    if (!fresh && cache.has(i)) return cache.get(i)!;
    const clip = renderSyntheticClip(mixSeed(seed, 'clip', split, i, fresh ? epoch : 0), labels[i]!, clipOptions);
    if (!fresh && useCache) cache.set(i, clip);
    return clip;
  };

  return {
    name: `synthetic/${split}`,
    classes: SYNTHETIC_CLASSES,
    length: numClips,
    ids,
    labels,
    numFrames: T,
    size: S,
    testViews: 1,
    seed,
    options: clipOptions,
    render,
    label: (i) => labels[i]!,
    async load(i: number, o: ClipLoadOptions): Promise<ClipSample> {
      const epoch = o.epoch ?? 0;
      const clip = render(i, o.mode === 'train' ? epoch : 0);
      const params =
        o.mode === 'train' && augment
          ? drawAugment(
              { crop: false, flip: augment.flip ?? false, jitter: augment.jitter ?? false },
              seedStream(o.seed ?? seed, 'augment', epoch, i),
            )
          : undefined;
      const frames = o.target?.length === T * S * S * 3 ? o.target : new Float32Array(T * S * S * 3);
      clip.frames.forEach((f, t) => {
        normalizeFrame(params?.flip ? flipHorizontal(f, S, S) : f, frames, t * S * S * 3, params?.color);
      });
      return {
        id: ids[i]!,
        label: labels[i]!,
        frames,
        shape: [T, S, S, 3],
        apexFrames: clip.apexFrames.slice(),
        sourceFrames: Array.from({ length: T }, (_, t) => t),
      };
    },
  };
}

/** The registry entry (registered by the synthetic entry point). */
export const syntheticDataset: DatasetDefinition<SyntheticDatasetOptions> = {
  name: 'synthetic',
  description: 'built-in synthetic dynamic-face clips (7 DFEW classes)',
  needsRoot: false,
  splits: ['train', 'test'],
  create: createSyntheticDataset,
};
