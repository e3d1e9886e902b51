// A ClipDataset over clips on disk (frame folders or videos): temporal sampling, clip-level augmentation,
// parallel sharp decoding, ImageNet normalisation. Per-clip failures become ClipLoadError (skippable).
import { type ClipDataset, type ClipLoadOptions, type ClipSample, ClipLoadError, isClipLoadError, seedStream } from '@adatosk/core';
import { FULL_FRAME, drawAugment, normalizationTable, normalizeWithTable } from '../common/augment.js';
import { sampleIndices } from '../common/sampling.js';
import type { RawImage } from '../io/bmp.js';
import { listFrames } from '../io/frames.js';
import { type FrameInput, decodeFrame } from '../io/image.js';
import { isFile } from '../io/paths.js';
import { decodeVideo } from '../io/video.js';
import type { ResolvedReadOptions } from './options.js';

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

export interface FileClipDataset extends ClipDataset {
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

  const load = async (i: number, o: ClipLoadOptions): Promise<ClipSample> => {
    const e = entries[i];
    if (!e) throw new RangeError(`clip index ${i} is outside 0..${entries.length - 1} of ${name}`);
    const source = await resolveEntry(e, S);
    const n = source.kind === 'frames' ? source.files.length : source.frames.length;
    const train = o.mode === 'train';
    const rng = seedStream(o.seed ?? options.seed, 'clip', o.epoch ?? 0, i);
    const indices = sampleIndices(n, sampling, train ? 'train' : 'test', o.view ?? 0, rng);
    const params = train ? drawAugment(options.augment, rng) : { crop: FULL_FRAME, flip: false };
    const input = (k: number): FrameInput =>
      source.kind === 'frames' ? { kind: 'file', path: source.files[k]! } : { kind: 'raw', image: source.frames[k]! };
    const where = (k: number) => (source.kind === 'frames' ? source.files[k]! : `${source.file} frame ${k}`);
    const unique = [...new Set(indices)];
    const decoded = new Map<number, Uint8Array>();
    await Promise.all(
      unique.map(async (k) => {
        try {
          decoded.set(k, await decodeFrame(input(k), { crop: params.crop, flip: params.flip, size: S, ...(params.color ? { saturation: params.color.saturation } : {}) }));
        } catch (error) {
          throw new ClipLoadError(e.id, source.kind === 'video' ? 'decode' : 'unreadable', `clip ${e.id}: cannot decode ${where(k)} (${(error as Error).message})`, { cause: error });
        }
      }),
    );
    const frames = o.target?.length === T * frameLength ? o.target : new Float32Array(T * frameLength);
    const table = normalizationTable(params.color);
    indices.forEach((k, t) => normalizeWithTable(decoded.get(k)!, frames, t * frameLength, table));
    return { id: e.id, label: e.label, frames, shape: [T, S, S, 3], sourceFrames: indices };
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
    resolve: (i) => resolveEntry(entries[i]!, S),
  };
}
