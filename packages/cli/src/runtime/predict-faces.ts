// `adatosk predict <video|frames>`: find the faces (pass 1), run the model on sliding windows of each chosen
// face track's aligned crops (pass 2), print per track and per window. No face: exit code 3, no class.
import { basename } from 'node:path';
import type { FaceModelName } from '@adatosk/faces';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { scanFaces, wholeFrameTrack, type FaceTimeline, type TrackBox } from './faces.js';
import { openFrames } from './frames.js';
import { modelInput, type RunModel } from './model.js';
import { faceWindows } from './windows.js';
import * as tf from '@tensorflow/tfjs-core';

/** Exit code of `predict` when no face is found. */
export const NO_FACE_EXIT = 3;

export interface FacePredictOptions {
  input: string;
  json?: boolean;
  io: Io;
  face: 'largest' | 'all';
  detector: FaceModelName;
  detect: boolean;
  frameStride?: number;
  hop?: number;
  fps?: number;
}

export interface WindowPrediction {
  index: number;
  /** Video frames [startFrame, endFrame] the window covers (its crops: `frames`), and their times in seconds. */
  startFrame: number;
  endFrame: number;
  startTime: number;
  endTime: number;
  frames: number[];
  predicted: string;
  probabilities: Record<string, number>;
}

export interface TrackPrediction {
  id: number;
  firstFrame: number;
  lastFrame: number;
  startTime: number;
  endTime: number;
  detectedFrames: number;
  boxes: TrackBox[];
  windows: WindowPrediction[];
  /** Mean of the windows' probabilities, and its top class. */
  predicted: string;
  probabilities: Record<string, number>;
}

/** The stride the model was trained with: the dataset's (`data.options.stride`), else 4 (FERV39K: 1). */
export function defaultFrameStride(cfg: RunConfig): number {
  const s = (cfg.data.options as { stride?: unknown }).stride;
  if (typeof s === 'number' && Number.isInteger(s) && s >= 1) return s;
  return cfg.data.name === 'ferv39k' ? 1 : 4;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!(Number.isInteger(n) && n >= 1)) throw new CliError(`--${name} must be a positive integer, got ${v}`, 2);
  return n;
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const secs = (t: number) => t.toFixed(2);

function top(probs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
  return best;
}

function named(classes: readonly string[], probs: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  classes.forEach((c, i) => (out[c] = Math.round(probs[i] * 1e6) / 1e6));
  return out;
}

async function probabilitiesOfClip(model: RunModel, clip: Float32Array, T: number, S: number): Promise<Float32Array> {
  const probs = tf.tidy(() => model.predict(tf.tensor5d(clip, [1, T, S, S, 3])).probs);
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

export async function predictFaces(
  model: RunModel,
  cfg: RunConfig,
  classes: readonly string[],
  o: FacePredictOptions,
): Promise<{ input: string; predicted: string; probabilities: Record<string, number>; tracks: TrackPrediction[] }> {
  const { numFrames: T, imageSize: S } = modelInput(cfg);
  const frameStride = positiveInt('frame-stride', o.frameStride, defaultFrameStride(cfg));
  const hop = positiveInt('hop', o.hop, Math.max(1, Math.floor(T / 2)));
  if (o.fps !== undefined && !(o.fps > 0)) throw new CliError(`--fps must be positive, got ${o.fps}`, 2);
  const source = await openFrames(o.input, { fps: o.fps });
  const name = o.input;

  // Pass 1: where the faces are.
  let scan: { frames: number; width: number; height: number; tracks: FaceTimeline[] };
  if (o.detect) scan = await scanFaces(source, { detector: o.detector });
  else {
    let frames = 0;
    let width = 0;
    let height = 0;
    for await (const f of source.frames()) {
      frames++;
      ({ width, height } = f);
    }
    scan = { frames, width, height, tracks: [wholeFrameTrack(frames, width, height, source.fps)] };
  }
  const head = {
    input: name,
    frames: scan.frames,
    fps: source.fps,
    width: scan.width,
    height: scan.height,
    classes: [...classes],
    windowFrames: T,
    frameStride,
    hop,
    detector: o.detect ? o.detector : 'none',
    face: o.face,
  };
  if (scan.tracks.length === 0) {
    if (o.json) o.io.out(JSON.stringify({ ...head, error: 'no face found', tracks: [] }));
    throw new CliError(
      `no face found in ${name} (${scan.frames} frames, ${o.detector} detector${o.detector === 'short' ? '; for small or distant faces try --detector back' : ''})`,
      NO_FACE_EXIT,
    );
  }
  const chosen = o.face === 'all' ? scan.tracks : [scan.tracks.reduce((a, b) => (b.meanArea > a.meanArea ? b : a))];

  // Pass 2: crops, windows, model.
  const results = new Map<FaceTimeline, WindowPrediction[]>(chosen.map((t) => [t, []]));
  const timeOf = (frame: number) => Math.round((frame / source.fps) * 100) / 100;
  for await (const w of faceWindows(source, chosen, { numFrames: T, imageSize: S, frameStride, hop })) {
    const probs = await probabilitiesOfClip(model, w.clip, T, S);
    const startFrame = w.frames[0];
    // The window's span of video: its stride-spaced frames and the frames between them.
    const endFrame = Math.min(startFrame + T * frameStride - 1, w.track.lastFrame);
    results.get(w.track)!.push({
      index: w.index,
      startFrame,
      endFrame,
      startTime: timeOf(startFrame),
      endTime: timeOf(endFrame + 1),
      frames: w.frames,
      predicted: classes[top(probs)],
      probabilities: named(classes, probs),
    });
  }
  const tracks: TrackPrediction[] = chosen.map((t) => {
    const windows = results.get(t)!;
    const mean = classes.map((c) => windows.reduce((a, w) => a + w.probabilities[c], 0) / windows.length);
    return {
      id: t.id,
      firstFrame: t.firstFrame,
      lastFrame: t.lastFrame,
      startTime: timeOf(t.firstFrame),
      endTime: timeOf(t.lastFrame + 1),
      detectedFrames: t.detectedFrames,
      boxes: t.boxes,
      windows,
      predicted: classes[top(mean)],
      probabilities: named(classes, mean),
    };
  });
  const main = tracks[0];
  if (o.json) o.io.out(JSON.stringify({ ...head, predicted: main.predicted, probabilities: main.probabilities, tracks }));
  else printTracks(o.io, head, scan.tracks.length, tracks, classes);
  return { input: name, predicted: main.predicted, probabilities: main.probabilities, tracks };
}

function printTracks(
  io: Io,
  h: {
    input: string;
    frames: number;
    fps: number;
    width: number;
    height: number;
    windowFrames: number;
    frameStride: number;
    hop: number;
    detector: string;
    face: string;
  },
  found: number,
  tracks: TrackPrediction[],
  classes: readonly string[],
): void {
  const span = h.windowFrames * h.frameStride;
  const faces =
    h.detector === 'none'
      ? 'no face detection (whole frame)'
      : `${found} face track${found === 1 ? '' : 's'}${h.face === 'largest' && found > 1 ? ', showing the largest (--face all for every one)' : ''}`;
  io.out(`${basename(h.input)}: ${h.frames} frames (${secs(h.frames / h.fps)} s at ${h.fps} fps, ${h.width}x${h.height}); ${faces}`);
  io.out(
    `windows of ${h.windowFrames} frames, every ${h.frameStride}${h.frameStride === 1 ? 'st' : 'th'} frame (${secs(span / h.fps)} s), starting every ${secs((h.hop * h.frameStride) / h.fps)} s`,
  );
  for (const t of tracks) {
    io.out('');
    const seen = t.boxes.length;
    io.out(
      `face ${t.id}: frames ${t.firstFrame}-${t.lastFrame} (${secs(t.startTime)}-${secs(t.endTime)} s), detected in ${t.detectedFrames} of ${seen} frames${t.windows.length === 1 && t.lastFrame - t.firstFrame + 1 < span ? ' (shorter than one window: one padded window)' : ''}`,
    );
    io.out(`  ${'window'.padEnd(7)} ${'time (s)'.padEnd(13)} ${'class'.padEnd(12)} probabilities`);
    for (const w of t.windows) {
      const order = classes.map((c) => [c, w.probabilities[c]] as const).sort((a, b) => b[1] - a[1]);
      const rest = order
        .slice(1, 3)
        .map(([c, p]) => `${c} ${pct(p)}`)
        .join(', ');
      io.out(
        `  ${String(w.index).padEnd(7)} ${`${secs(w.startTime)}-${secs(w.endTime)}`.padEnd(13)} ${w.predicted.padEnd(12)} ${pct(w.probabilities[w.predicted]).padStart(6)}  (${rest})`,
      );
    }
    io.out(
      `  overall (mean of ${t.windows.length} window${t.windows.length === 1 ? '' : 's'}): ${t.predicted} ${pct(t.probabilities[t.predicted])}`,
    );
  }
}
