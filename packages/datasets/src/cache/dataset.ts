// A split of a frame cache as a ClipDataset: the same temporal sampling and augmentation draws as the
// loader it was made from (same seed, epoch and index give the same parameters), frames read from the
// shards instead of decoded from the source. `plan` hands the work to a worker pool; `output: 'packed'`
// returns the stored frames for `augmentOnDevice`.
import { type ClipLoadOptions, type ClipSample, ClipLoadError, DatasetError, seedStream } from '@adatosk/core';
import { join } from 'node:path';
import { FULL_FRAME, drawAugment } from '../common/augment.js';
import { sampleIndices } from '../common/sampling.js';
import { IMAGENET_NORMALIZATION } from '../file/clip-dataset.js';
import { type ClipReadOptions, type ResolvedReadOptions, resolveReadOptions } from '../file/options.js';
import { inProcessExecutor } from '../work/in-process.js';
import type { ClipPlan, PlanOptions, PlannedClipDataset } from '../work/planned.js';
import { shardFrame } from './format.js';
import { type FrameCache, type OpenCacheOptions, openFrameCache, prepareCommand } from './open.js';
import { cacheSplitKey } from './splits.js';

export interface CacheClipDataset extends PlannedClipDataset {
  readonly cache: FrameCache;
  /** The split key, e.g. `fold1/train`. */
  readonly split: string;
  readonly options: ResolvedReadOptions;
  /** Size the frames are stored at (`output: 'packed'` gives T x storedSize x storedSize frames). */
  readonly storedSize: number;
  readonly packable: true;
}

/** Which split to read: a key (`fold1/train`), or the fold/split/list file the loader would take. */
export interface CacheSplitOptions extends ClipReadOptions {
  split: string;
  fold?: number;
  listFile?: string;
}

/** A split of an opened cache as a dataset; checks (once) that its source did not change. */
export async function cacheDataset(cache: FrameCache, which: CacheSplitOptions): Promise<CacheClipDataset> {
  const m = cache.manifest;
  const id = m.identity;
  const key = m.splits[which.split] ? which.split : cacheSplitKey(id.dataset, which);
  const split = m.splits[key];
  if (!split)
    throw new DatasetError(
      `the frame cache in ${cache.dir} has no split '${key}' (it has ${cache.splits.join(', ')}); prepare one that includes it`,
    );
  const options = resolveReadOptions({ ...which, size: which.size ?? id.size }, { stride: split.stride });
  if (options.size !== id.size) {
    throw new DatasetError(
      `the frame cache in ${cache.dir} was prepared for ${id.size}x${id.size} frames (stored at ${id.storedSize}); this run reads ${options.size}x${options.size}. ` +
        `Prepare a cache for it: \`${prepareCommand(cache.dir, { ...m, identity: { ...id, size: options.size, storedSize: Math.max(options.size, id.storedSize) } })}\` with another --out.`,
    );
  }
  await cache.checkSplit(key);
  const { numFrames: T, size: S } = options;
  const stored = id.storedSize;
  const sampling = { kind: options.sampling, numFrames: T, stride: options.stride, testViews: options.testViews };
  const clips = split.clips.map((k) => m.clips[k]!);
  const ids = clips.map((c) => c.id);
  const labels = split.labels;

  const plan = async (i: number, o: PlanOptions): Promise<ClipPlan> => {
    const c = clips[i];
    if (!c) throw new RangeError(`clip index ${i} is outside 0..${clips.length - 1} of ${split.name}`);
    if (c.failed) throw new ClipLoadError(c.id, c.failed.kind, `${c.failed.message} (when the cache was made)`);
    const n = c.frames!;
    const train = o.mode === 'train';
    const rng = seedStream(o.seed ?? options.seed, 'clip', o.epoch ?? 0, i); // the source loader's stream: same draws
    const indices = sampleIndices(n, sampling, train ? 'train' : 'test', o.view ?? 0, rng);
    const params = train ? drawAugment(options.augment, rng) : { crop: FULL_FRAME, flip: false };
    const unique = [...new Set(indices)];
    const position = new Map(unique.map((k, j) => [k, j]));
    const table = cache.tables[c.shard!]!;
    return {
      work: {
        id: c.id,
        source: {
          kind: 'shard',
          file: join(cache.dir, m.shards[c.shard!]!.file),
          format: id.format,
          width: stored,
          height: stored,
          frames: unique.map((k) => shardFrame(table, c.first! + k)),
          shardFrames: m.shards[c.shard!]!.frames,
        },
        order: indices.map((k) => position.get(k)!),
        augment: { size: S, crop: params.crop, flip: params.flip, ...(params.color ? { color: params.color } : {}) },
        normalize: IMAGENET_NORMALIZATION,
        output: o.output ?? 'float',
      },
      sample: { id: c.id, label: labels[i]!, shape: [T, S, S, 3], sourceFrames: indices },
    };
  };

  return {
    name: split.name,
    classes: m.classes,
    length: clips.length,
    ids,
    labels,
    numFrames: T,
    size: S,
    testViews: options.testViews,
    seed: options.seed,
    cache,
    split: key,
    options,
    storedSize: stored,
    packable: true,
    label: (i) => labels[i]!,
    plan,
    async load(i: number, o: ClipLoadOptions): Promise<ClipSample> {
      const { work, sample } = await plan(i, o);
      const frames = o.target?.length === T * S * S * 3 ? o.target : new Float32Array(T * S * S * 3);
      await inProcessExecutor.run(work, frames);
      return { ...sample, frames };
    },
  };
}

/** Opens `dir` and one of its splits as a dataset. */
export async function openCacheDataset(dir: string, which: CacheSplitOptions & OpenCacheOptions): Promise<CacheClipDataset> {
  return cacheDataset(await openFrameCache(dir, { verify: which.verify }), which);
}
