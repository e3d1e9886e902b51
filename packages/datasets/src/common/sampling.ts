// Temporal sampling: which source frames make up the T frames of a clip. Browser-safe, pure.
import type { Rng } from '@adatosk/core';

/** `mae-dfer`: a window of T frames at a fixed stride (MAE-DFER/VideoMAE); `segments`: one frame per T equal segments (DFER-CLIP/TSN). */
export type SamplingKind = 'mae-dfer' | 'segments';

export interface SamplingOptions {
  kind: SamplingKind;
  /** T, frames per clip. */
  numFrames: number;
  /** Frame stride for `mae-dfer` (4 for DFEW/MAFW, 1 for FERV39K). */
  stride: number;
  /** Deterministic test views for `mae-dfer` (MAE-DFER: 2, start and end windows). */
  testViews: number;
}

/** MAE-DFER `_sample_train_clip`: a random window of length T*stride, or the whole clip padded with its last frame. */
export function maeDferTrainIndices(n: number, numFrames: number, stride: number, rng: Rng): number[] {
  const windowLength = numFrames * stride;
  if (n <= windowLength) {
    const count = Math.floor(n / stride);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = count === 1 ? 0 : (i * n) / (count - 1);
      out.push(Math.min(Math.floor(x), n - 1));
    }
    while (out.length < numFrames) out.push(n - 1);
    return out.slice(0, numFrames);
  }
  // end ~ U[L, n), start = end - L, T linspace points over [start, end], clipped to end - 1.
  const end = windowLength + Math.floor(rng.float() * (n - windowLength));
  const start = end - windowLength;
  return Array.from({ length: numFrames }, (_, i) => {
    const x = start + (numFrames === 1 ? 0 : (i * windowLength) / (numFrames - 1));
    return Math.min(Math.floor(x), end - 1);
  });
}

/** MAE-DFER test: every `stride`-th frame, padded with the last to T, then window `view` of `views` evenly spaced windows. */
export function maeDferTestIndices(n: number, numFrames: number, stride: number, view: number, views: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < n; i += stride) all.push(i);
  while (all.length < numFrames) all.push(all[all.length - 1] ?? 0);
  const step = views > 1 ? Math.max((all.length - numFrames) / (views - 1), 0) : 0;
  const start = Math.floor(view * step);
  return all.slice(start, start + numFrames);
}

/** DFER-CLIP train: a random frame from each of T equal segments (edge padding for short clips). */
export function segmentTrainIndices(n: number, numFrames: number, rng: Rng): number[] {
  const avg = Math.floor(n / numFrames);
  if (avg > 0) return Array.from({ length: numFrames }, (_, i) => i * avg + rng.int(avg));
  if (n > numFrames) {
    const picked = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, numFrames);
    return picked.sort((a, b) => a - b);
  }
  return padEdge(n, numFrames);
}

/** DFER-CLIP test: the middle frame of each of T equal segments. */
export function segmentTestIndices(n: number, numFrames: number): number[] {
  if (n > numFrames) {
    const tick = n / numFrames;
    return Array.from({ length: numFrames }, (_, i) => Math.floor(tick / 2 + tick * i));
  }
  return padEdge(n, numFrames);
}

function padEdge(n: number, numFrames: number): number[] {
  return Array.from({ length: numFrames }, (_, i) => Math.min(i, Math.max(n - 1, 0)));
}

/** Source frame indices for one load. */
export function sampleIndices(n: number, options: SamplingOptions, mode: 'train' | 'test', view: number, rng: Rng): number[] {
  if (n < 1) throw new RangeError('cannot sample frames from an empty clip');
  if (options.kind === 'segments') {
    return mode === 'train' ? segmentTrainIndices(n, options.numFrames, rng) : segmentTestIndices(n, options.numFrames);
  }
  return mode === 'train'
    ? maeDferTrainIndices(n, options.numFrames, options.stride, rng)
    : maeDferTestIndices(n, options.numFrames, options.stride, view, options.testViews);
}
