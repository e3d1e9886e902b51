// A ClipDataset over clips on disk (frame folders or videos): temporal sampling, clip-level augmentation,
// ImageNet normalisation. A load is planned on the calling thread (list frames, sample, draw the
// augmentation) and executed by the augmentation kernel in-process or in a worker pool (`plan`).
// Per-clip failures become ClipLoadError (skippable).
import {
  type ClipLoadOptions,
  type ClipSample,
  ClipLoadError,
  IMAGENET_MEAN,
  IMAGENET_STD,
  isClipLoadError,
  seedStream,
} from '@adatosk/core';
import { FULL_FRAME, drawAugment } from '../common/augment.js';
import { sampleIndices } from '../common/sampling.js';
import type { RawImage } from '../io/bmp.js';
import { listFrames } from '../io/frames.js';
import { isFile } from '../io/paths.js';
import { decodeVideo } from '../io/video.js';
import { inProcessExecutor } from '../work/in-process.js';
import type { ClipPlan, PlanOptions, PlannedClipDataset } from '../work/planned.js';
import type { FrameSource } from '../work/types.js';
import type { ResolvedReadOptions } from './options.js';

/** ImageNet normalisation, handed to the kernel with every work item. */
export const IMAGENET_NORMALIZATION = { mean: IMAGENET_MEAN, std: IMAGENET_STD };

/** One clip of a split: where its frames or video may be, and its label. */
export interface ClipEntry {
  id: string;
  label: number;
  /** Frame folder, tried first. */
  frameDir?: string;
  /** Candidate video files, tried in order when the frame folder is absent. */
  videoFiles?: string[];
  /** Where the entry came from, for messages. */
  origin?: { file: string; line: number };
}

/** Resolved source of one clip. */
export type ClipSource = { kind: 'frames'; files: string[] } | { kind: 'video'; file: string; frames: RawImage[] };

export interface FileClipDataset extends PlannedClipDataset {
  readonly entries: readonly ClipEntry[];
  readonly options: ResolvedReadOptions;
  /** Finds the frames or video of clip i (decoding the video); rejects with ClipLoadError. */
  resolve(i: number): Promise<ClipSource>;
}

async function resolveEntry(e: ClipEntry, size: number): Promise<ClipSource> {
  let frameError: ClipLoadError | undefined;
  if (e.frameDir) {
    try {
      return { kind: 'frames', files: await listFrames(e.frameDir, e.id) };
    } catch (error) {
      if (!isClipLoadError(error) || !e.videoFiles?.length) throw error;
      frameError = error;
    }
  }
  for (const file of e.videoFiles ?? []) {
    if (await isFile(file)) return { kind: 'video', file, frames: await decodeVideo(file, e.id, size) };
  }
  const tried = [e.frameDir, ...(e.videoFiles ?? [])].filter(Boolean).join(', ');
  throw new ClipLoadError(e.id, frameError?.kind ?? 'missing', `clip ${e.id}: no frames or video found (tried ${tried})`);
}

export function createFileDataset(
  name: string,
  classes: readonly string[],
  entries: ClipEntry[],
  options: ResolvedReadOptions,
): FileClipDataset {
  const ids = entries.map((e) => e.id);
  const labels = entries.map((e) => e.label);
  const { numFrames: T, size: S } = options;
  const frameLength = S * S * 3;
  const sampling = { kind: options.sampling, numFrames: T, stride: options.stride, testViews: options.testViews };

  const plan = async (i: number, o: PlanOptions): Promise<ClipPlan> => {
    const e = entries[i];
    if (!e) throw new RangeError(`clip index ${i} is outside 0..${entries.length - 1} of ${name}`);
    if (o.output === 'packed')
      throw new RangeError(
        `${name}: packed output needs frames of one size; prepare a cache (\`adatosk datasets prepare\`) for device augmentation`,
      );
    const resolved = await resolveEntry(e, S);
    const n = resolved.kind === 'frames' ? resolved.files.length : resolved.frames.length;
    const train = o.mode === 'train';
    const rng = seedStream(o.seed ?? options.seed, 'clip', o.epoch ?? 0, i);
    const indices = sampleIndices(n, sampling, train ? 'train' : 'test', o.view ?? 0, rng);
    const params = train ? drawAugment(options.augment, rng) : { crop: FULL_FRAME, flip: false };
    // Only the distinct sampled frames travel with the work.
    const unique = [...new Set(indices)];
    const position = new Map(unique.map((k, j) => [k, j]));
    const source: FrameSource =
      resolved.kind === 'frames'
        ? { kind: 'files', paths: unique.map((k) => resolved.files[k]!) }
        : { kind: 'pixels', frames: unique.map((k) => resolved.frames[k]!.data), width: S, height: S };
    return {
      work: {
        id: e.id,
        source,
        order: indices.map((k) => position.get(k)!),
        augment: { size: S, crop: params.crop, flip: params.flip, ...(params.color ? { color: params.color } : {}) },
        normalize: IMAGENET_NORMALIZATION,
        output: 'float',
      },
      sample: { id: e.id, label: e.label, shape: [T, S, S, 3], sourceFrames: indices },
    };
  };

  const load = async (i: number, o: ClipLoadOptions): Promise<ClipSample> => {
    const { work, sample } = await plan(i, o);
    const frames = o.target?.length === T * frameLength ? o.target : new Float32Array(T * frameLength);
    await inProcessExecutor.run(work, frames);
    return { ...sample, frames };
  };

  return {
    name,
    classes,
    length: entries.length,
    ids,
    labels,
    numFrames: T,
    size: S,
    testViews: options.testViews,
    seed: options.seed,
    entries,
    options,
    label: (i) => labels[i]!,
    load,
    plan,
    resolve: (i) => resolveEntry(entries[i]!, S),
  };
}
