// `adatosk predict`: class probabilities over time for every face in a video file or a frame folder (face
// detection, tracking and aligned crops, sliding windows), or for a synthetic test clip (already a face crop).
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import type { ClipSample } from '@adatosk/core';
import { backendArgs, num, outputArgs, repeatedFlag } from '../args.js';
import { validateConfig, mergeConfig } from '../config/load.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { useBackend } from '../runtime/backend.js';
import { readClip } from '../runtime/clip.js';
import { openSplit } from '../runtime/datasets.js';
import { modelFromCheckpoint, modelInput, type RunModel } from '../runtime/model.js';
import { predictFaces, type FacePredictOptions, type TrackPrediction } from '../runtime/predict-faces.js';
import { loadPlugins } from '../runtime/plugins.js';
import type { RunConfig } from '../config/schema.js';

export interface PredictCliOptions {
  checkpoint?: string;
  /** Video file or frame folder. */
  input?: string;
  /** Index of a clip of the synthetic test split (instead of `input`). */
  synthetic?: number;
  backend?: string;
  plugins?: string[];
  json?: boolean;
  io?: Io;
  /** Which faces: the largest (default) or all of them. */
  face?: FacePredictOptions['face'];
  /** Face detector: short (default; faces from ~1/8 of the frame) or back (small faces too, ~4x slower). */
  detector?: FacePredictOptions['detector'];
  /** Skip detection: the whole frame (letterboxed) is the face, for clips that are already face crops. */
  detect?: boolean;
  /** Source frames between two frames of a window (default: the dataset's stride, 4; FERV39K 1). */
  frameStride?: number;
  /** Window frames between two window starts (default half a window). */
  hop?: number;
  /** Frame rate of a frame folder (default 25). */
  fps?: number;
}

export interface PredictCliResult {
  input: string;
  label?: string;
  /** The class of the (largest) face, averaged over its windows; of the clip for --synthetic. */
  predicted: string;
  probabilities: Record<string, number>;
  /** Per face track, per window (video and frame-folder inputs). */
  tracks?: TrackPrediction[];
}

/** Loads the clip a predict/visualize call names, at the model's input size. */
export async function clipFor(
  cfg: RunConfig,
  opts: { input?: string; synthetic?: number },
): Promise<{ sample: ClipSample; name: string; label?: number }> {
  const input = modelInput(cfg);
  if (opts.synthetic !== undefined) {
    const test = await openSplit(
      validateConfig(mergeConfig(cfg as unknown as Record<string, unknown>, { data: { name: 'synthetic' } })),
      'test',
      input,
    );
    if (!(Number.isInteger(opts.synthetic) && opts.synthetic >= 0 && opts.synthetic < test.length)) {
      throw new CliError(`--synthetic ${opts.synthetic}: the synthetic test split has clips 0..${test.length - 1}`, 2);
    }
    const sample = await test.load(opts.synthetic, { mode: 'test', view: 0 });
    return { sample, name: test.ids[opts.synthetic], label: sample.label };
  }
  if (!opts.input) throw new CliError('give a video file or frame folder to predict on, or --synthetic <index>', 2);
  return { sample: await readClip(opts.input, input.numFrames, input.imageSize), name: opts.input };
}

export async function loadForInference(checkpoint: string | undefined, backend: string | undefined, plugins: string[]) {
  await loadPlugins(plugins);
  const used = await useBackend(backend ?? 'auto');
  const loaded = await modelFromCheckpoint(checkpoint ?? 'runs/latest');
  return { ...loaded, backend: used };
}

// Async read: WebGPU in Node has no synchronous readback.
export async function probabilitiesOf(model: RunModel, sample: ClipSample): Promise<Float32Array> {
  const [T, H, W] = sample.shape;
  const probs = tf.tidy(() => model.predict(tf.tensor5d(sample.frames, [1, T, H, W, 3])).probs);
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

export async function runPredict(opts: PredictCliOptions): Promise<PredictCliResult> {
  const io = opts.io ?? processIo;
  if (opts.synthetic === undefined && !opts.input)
    throw new CliError('give a video file or frame folder to predict on, or --synthetic <index>', 2);
  const { model, config, classes } = await loadForInference(opts.checkpoint, opts.backend, opts.plugins ?? []);
  try {
    if (opts.synthetic === undefined) {
      return await predictFaces(model, config, classes, {
        input: opts.input!,
        json: opts.json,
        io,
        face: opts.face ?? 'largest',
        detector: opts.detector ?? 'short',
        detect: opts.detect ?? true,
        frameStride: opts.frameStride,
        hop: opts.hop,
        fps: opts.fps,
      });
    }
    const { sample, name, label } = await clipFor(config, opts);
    const probs = await probabilitiesOf(model, sample);
    const probabilities: Record<string, number> = {};
    classes.forEach((c, i) => (probabilities[c] = probs[i]));
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    const result: PredictCliResult = {
      input: name,
      ...(label !== undefined ? { label: classes[label] } : {}),
      predicted: classes[best],
      probabilities,
    };
    if (opts.json) io.out(JSON.stringify(result));
    else {
      io.out(`${name}: ${classes[best]} (${(probs[best] * 100).toFixed(1)}%)${label !== undefined ? `  [true: ${classes[label]}]` : ''}`);
      const order = classes.map((c, i) => [c, probs[i]] as const).sort((a, b) => b[1] - a[1]);
      for (const [c, p] of order) io.out(`  ${c.padEnd(10)} ${(p * 100).toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(p * 30))}`);
    }
    return result;
  } finally {
    model.dispose();
  }
}

export default defineCommand({
  meta: {
    name: 'predict',
    description: 'Class probabilities over time for each face in a video file or a frame folder (exit 3: no face found)',
  },
  args: {
    input: { type: 'positional', required: false, description: 'Video file or folder of frames', valueHint: 'path' },
    checkpoint: { type: 'string', alias: 'k', description: 'Checkpoint file or run folder (default runs/latest)', valueHint: 'path' },
    synthetic: { type: 'string', description: 'Use clip N of the synthetic test split instead of a file', valueHint: 'n' },
    face: {
      type: 'enum',
      options: ['largest', 'all'],
      default: 'largest',
      description: 'largest: the largest face only; all: every face track',
    },
    detector: {
      type: 'enum',
      options: ['short', 'back'],
      default: 'short',
      description:
        'short: BlazeFace short-range (fast; faces from ~1/8 of the frame side); back: back-camera (small faces too, ~4x slower)',
    },
    detect: {
      type: 'boolean',
      default: true,
      description: 'Detect faces (--no-detect: the clip is already a face crop; the whole frame is used, letterboxed)',
    },
    'frame-stride': {
      type: 'string',
      description: 'Video frames between two frames of a window (default 4, FERV39K-trained models 1)',
      valueHint: 'n',
    },
    hop: { type: 'string', description: 'Window frames between window starts (default half a window)', valueHint: 'n' },
    fps: { type: 'string', description: 'Frame rate of a frame folder (default 25)', valueHint: 'n' },
    plugin: { type: 'string', description: 'Mask plugin module (repeatable)', valueHint: 'module' },
    ...backendArgs,
    ...outputArgs,
  },
  async run({ args, rawArgs }) {
    await runPredict({
      checkpoint: args.checkpoint,
      input: args.input,
      synthetic: num('synthetic', args.synthetic),
      backend: args.backend,
      plugins: repeatedFlag(rawArgs, 'plugin'),
      json: args.json,
      face: args.face as PredictCliOptions['face'],
      detector: args.detector as PredictCliOptions['detector'],
      detect: args.detect,
      frameStride: num('frame-stride', args['frame-stride']),
      hop: num('hop', args.hop),
      fps: num('fps', args.fps),
    });
  },
});
