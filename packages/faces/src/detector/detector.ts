// The face detector: BlazeFace as a TF.js graph model on whatever backend is active (it never picks or
// registers one), fed a letterboxed frame (aspect ratio kept), decoded and suppressed in JS.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { imageSize, type ImageInput } from '../image.js';
import { letterboxGeometry, letterboxRaw, type LetterboxGeometry } from '../raw/letterbox.js';
import type { FaceDetection } from '../types.js';
import { generateAnchors } from './anchors.js';
import { decodeBlazeFace, ROW, type DecodeOptions } from './decode.js';
import { FACE_MODELS, type FaceModelName } from './models.js';

export interface FaceDetectorOptions {
  /** 'short' (default, 128 px, fast) or 'back' (256 px, small faces too). */
  model?: FaceModelName;
  /** Minimum detection score (default 0.5). */
  minScore?: number;
  /** IoU above which overlapping detections merge (default 0.3). */
  iouThreshold?: number;
  /** Most faces per frame (default 10). */
  maxFaces?: number;
}

export const DETECTOR_DEFAULTS = {
  model: 'short',
  minScore: 0.5,
  iouThreshold: 0.3,
  maxFaces: 10,
} as const satisfies Required<FaceDetectorOptions>;

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export class FaceDetector {
  readonly model: FaceModelName;
  readonly inputSize: number;
  readonly options: DecodeOptions;
  private readonly anchors: Float32Array;

  private constructor(
    private readonly graph: GraphModel,
    model: FaceModelName,
    options: DecodeOptions,
  ) {
    this.model = model;
    this.inputSize = FACE_MODELS[model].inputSize;
    this.options = options;
    this.anchors = generateAnchors(this.inputSize);
  }

  /** Loads a shipped BlazeFace variant onto the active backend (nothing is downloaded). */
  static async load(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    const name = options.model ?? DETECTOR_DEFAULTS.model;
    const info = FACE_MODELS[name];
    if (!info) throw new Error(`FaceDetector: unknown model '${String(name)}'; use one of ${Object.keys(FACE_MODELS).join(', ')}.`);
    const minScore = options.minScore ?? DETECTOR_DEFAULTS.minScore;
    if (!(minScore > 0 && minScore < 1)) throw new Error(`FaceDetector: minScore must lie in (0, 1), got ${minScore}.`);
    const embedded = await info.load();
    const bytes = decodeBase64(embedded.WEIGHTS_BASE64);
    const graph = await loadGraphModel(
      tf.io.fromMemory({
        modelTopology: embedded.TOPOLOGY,
        weightSpecs: embedded.WEIGHT_SPECS as tf.io.WeightsManifestEntry[],
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      }),
    );
    const detector = new FaceDetector(graph, name, {
      minScore,
      iouThreshold: options.iouThreshold ?? DETECTOR_DEFAULTS.iouThreshold,
      maxFaces: options.maxFaces ?? DETECTOR_DEFAULTS.maxFaces,
    });
    await detector.warmUp();
    return detector;
  }

  /**
   * Faces in one frame, best first, in frame pixels. A tensor frame is letterboxed on its backend; raw
   * bytes are letterboxed in JS (no full-frame upload).
   */
  async detect(image: ImageInput): Promise<FaceDetection[]> {
    const S = this.inputSize;
    const [H, W] = imageSize(image);
    const g = letterboxGeometry(W, H, S);
    const output = tf.tidy(() => {
      const input = image instanceof tf.Tensor ? this.tensorInput(image, g) : tf.tensor4d(letterboxRaw(image, S, g), [1, S, S, 3]);
      const out = this.graph.execute(input);
      return Array.isArray(out) ? joinOutputs(out) : out;
    });
    let raw: Float32Array;
    try {
      if (output.shape[output.shape.length - 1] !== ROW)
        throw new Error(`FaceDetector: unexpected model output shape [${output.shape.join(', ')}].`);
      raw = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    return decodeBlazeFace(raw, this.anchors, { scaleX: W / g.width, scaleY: H / g.height, padX: g.padX, padY: g.padY }, this.options);
  }

  dispose(): void {
    this.graph.dispose();
  }

  /** First run compiles kernels (WebGPU/WebGL shaders): done at load, not on the first frame. */
  private async warmUp(): Promise<void> {
    const blank = tf.zeros([this.inputSize, this.inputSize, 3], 'int32') as tf.Tensor3D;
    try {
      await this.detect(blank);
    } finally {
      blank.dispose();
    }
  }

  /** `[1, S, S, 3]` in [-1, 1]: the frame resized to fit (bilinear), centred, padded black. */
  private tensorInput(image: tf.Tensor3D, g: LetterboxGeometry): tf.Tensor4D {
    if (image.rank !== 3 || (image.shape[2] !== 3 && image.shape[2] !== 4)) {
      throw new Error(`FaceDetector: expected an [height, width, 3 or 4] image tensor, got shape [${image.shape.join(', ')}].`);
    }
    const S = this.inputSize;
    const [H, W] = image.shape;
    const rgb = image.shape[2] === 4 ? tf.slice(image, [0, 0, 0], [H, W, 3]) : image;
    const x = tf.expandDims(tf.cast(rgb, 'float32'), 0) as tf.Tensor4D;
    const resized = g.width === W && g.height === H ? x : tf.image.resizeBilinear(x, [g.height, g.width], false, true);
    const normed = tf.sub(tf.div(resized, 127.5), 1);
    return tf.pad(
      normed,
      [
        [0, 0],
        [g.padY, S - g.height - g.padY],
        [g.padX, S - g.width - g.padX],
        [0, 0],
      ],
      -1,
    ) as tf.Tensor4D;
  }
}

/**
 * The back-camera conversion splits its output per anchor layer into scores `[1, n, 1]` and coordinates
 * `[1, n, 16]`; joins them into one `[1, N, 17]` in anchor order (the larger, finer layer first).
 */
function joinOutputs(outs: tf.Tensor[]): tf.Tensor {
  if (outs.length === 1) return outs[0];
  const scores = outs.filter((t) => t.shape[2] === 1).sort((a, b) => b.shape[1]! - a.shape[1]!);
  const coords = outs.filter((t) => t.shape[2] === ROW - 1).sort((a, b) => b.shape[1]! - a.shape[1]!);
  if (scores.length === 0 || scores.length !== coords.length) {
    throw new Error(`FaceDetector: unexpected model outputs ${outs.map((t) => `[${t.shape.join(', ')}]`).join(', ')}.`);
  }
  return tf.concat(
    scores.map((s, i) => tf.concat([s, coords[i]], 2)),
    1,
  );
}
