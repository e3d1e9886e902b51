// Sliding-window recognition over a frame stream: per-window class probabilities and the soft mask.
import * as tf from '@tensorflow/tfjs-core';
import { framesToClip, type Frame } from './video/clip.js';

/** What AdaTosk's `softMasks` reports (core's `SoftMaskReport`), the parts recognition uses. */
export interface SoftMaskReportLike {
  grid: { frames: number; height: number; width: number };
  /** Visible token indices (`tau * N + n`) per clip. */
  visible: number[][];
  /** Final soft mask per visible token, per clip. */
  final: number[][];
  /** Kept token indices per clip. */
  kept?: number[][];
}

/**
 * The model surface recognition needs: AdaTosk's `predict` (+ `softMasks`) or, for a plain VideoMAE
 * classifier, `classify`.
 */
export interface RecognitionModel {
  config: { numFrames: number; imageSize: number; labels?: string[] };
  predict?(clips: tf.Tensor5D): { logits: tf.Tensor2D; probs: tf.Tensor2D };
  softMasks?(clips: tf.Tensor5D): Promise<SoftMaskReportLike>;
  classify?(clips: tf.Tensor5D): { logits: tf.Tensor2D };
}

export interface RecognizeOptions {
  model: RecognitionModel;
  /** Frames per window (default config.numFrames). */
  windowFrames?: number;
  /** Frames between window starts (default windowFrames / 2). */
  stride?: number;
  /** Close ImageBitmaps once they leave the window (default true). */
  closeFrames?: boolean;
}

export interface WindowResult {
  /** Window number, from 0. */
  index: number;
  /** Stream frame numbers covered: [start, end). */
  start: number;
  end: number;
  probs: Float32Array;
  /** argmax of `probs`, and its name when the config has labels. */
  top: number;
  label?: string;
  /**
   * Soft mask over all of the window's tokens, temporal-major (`tau * N + n`; 0 for tokens the hard mask
   * dropped), when the model has `softMasks`; `maskGrid` gives its shape.
   */
  softMask?: Float32Array;
  maskGrid?: { frames: number; height: number; width: number };
  /** Tokens kept by the soft selection. */
  kept?: number[];
}

/** Runs `model` on every window of `windowFrames` frames, `stride` apart, as frames arrive. */
export async function* recognize(stream: AsyncIterable<Frame> | Iterable<Frame>, options: RecognizeOptions): AsyncGenerator<WindowResult> {
  const { model } = options;
  const windowFrames = options.windowFrames ?? model.config.numFrames;
  const stride = options.stride ?? Math.max(1, Math.floor(windowFrames / 2));
  if (!Number.isInteger(windowFrames) || windowFrames < 1)
    throw new Error(`recognize: windowFrames must be a positive integer, got ${windowFrames}.`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`recognize: stride must be a positive integer, got ${stride}.`);
  if (!model.predict && !model.classify) throw new Error('recognize: the model has neither predict() (AdaTosk) nor classify() (VideoMAE).');
  const buffer: Frame[] = [];
  let first = 0; // stream index of buffer[0]
  let seen = 0;
  let index = 0;
  let nextStart = 0;
  const release = (f: Frame) => {
    if (options.closeFrames !== false && typeof (f as ImageBitmap).close === 'function') (f as ImageBitmap).close();
  };
  try {
    for await (const frame of stream as AsyncIterable<Frame>) {
      buffer.push(frame);
      seen++;
      while (seen >= nextStart + windowFrames) {
        const from = nextStart - first;
        const result = await runWindow(model, buffer.slice(from, from + windowFrames), windowFrames);
        yield { index, start: nextStart, end: nextStart + windowFrames, ...result };
        index++;
        nextStart += stride;
        while (first < nextStart && buffer.length > 0) {
          release(buffer.shift()!);
          first++;
        }
      }
    }
  } finally {
    buffer.forEach(release);
  }
}

async function runWindow(
  model: RecognitionModel,
  frames: Frame[],
  windowFrames: number,
): Promise<Omit<WindowResult, 'index' | 'start' | 'end'>> {
  const clips = framesToClip(frames.slice(0, windowFrames), { size: model.config.imageSize });
  try {
    const probsT = tf.tidy(() => (model.predict ? model.predict(clips).probs : tf.softmax(model.classify!(clips).logits)));
    // Async reads: the only kind WebGPU supports everywhere.
    const all = (await probsT.data()) as Float32Array;
    const classes = probsT.shape[1] ?? all.length;
    probsT.dispose();
    const probs = all.slice(0, classes);
    let top = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i;
    const result: Omit<WindowResult, 'index' | 'start' | 'end'> = { probs, top, label: model.config.labels?.[top] };
    if (model.softMasks) {
      const report = await model.softMasks(clips);
      const { frames: f, height: h, width: w } = report.grid;
      const mask = new Float32Array(f * h * w);
      report.visible[0].forEach((token, j) => (mask[token] = report.final[0][j]));
      Object.assign(result, { softMask: mask, maskGrid: report.grid, ...(report.kept ? { kept: report.kept[0] } : {}) });
    }
    return result;
  } finally {
    clips.dispose();
  }
}
