// The augmentation kernel as tensor ops, for backends where the device is cheaper than the CPU (WebGPU,
// CUDA): uint8 frames go up packed (one int32 per RGB pixel, 3x less than float32), and the crop + resize
// + flip (one cropAndResize with a box per frame), colour jitter and normalisation run on the device.
// Same parameters and sampling positions as `augmentFrame`, so both paths give the same clips (to float
// rounding). Backend-agnostic: only @tensorflow/tfjs-core ops.
import * as tf from '@tensorflow/tfjs-core';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import type { FrameAugment } from './kernel.js';
import { frameMap } from './geometry.js';

/** [..., 3] float 0..255 from packed int32 pixels [...]. */
export function unpackPixels(packed: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const v = tf.cast(packed, 'float32');
    const b = tf.floor(tf.div(v, 65536));
    const rest = tf.sub(v, tf.mul(b, 65536));
    const g = tf.floor(tf.div(rest, 256));
    const r = tf.sub(rest, tf.mul(g, 256));
    return tf.stack([r, g, b], -1);
  });
}

export interface DeviceAugmentOptions {
  /** Frames per clip (T): `frames` holds B * T frames, clip-major. */
  framesPerClip: number;
  /** One entry per clip (B), all with the same `size`. */
  augments: readonly FrameAugment[];
}

/**
 * Augments a batch on the device. `frames`: `[B*T, H, W]` int32 packed pixels (see `packPixels`) or
 * `[B*T, H, W, 3]` values 0..255 (any dtype). Returns `[B, T, S, S, 3]` float32, ImageNet-normalised.
 * The input is not disposed.
 */
export function augmentOnDevice(frames: tf.Tensor, options: DeviceAugmentOptions): tf.Tensor5D {
  const { framesPerClip: T, augments } = options;
  const B = augments.length;
  if (B === 0) throw new RangeError('augmentOnDevice: no clips');
  const S = augments[0]!.size;
  if (augments.some((a) => a.size !== S)) throw new RangeError('augmentOnDevice: every clip of a batch needs the same output size');
  if (!(S > 1)) throw new RangeError(`augmentOnDevice: output size must be at least 2, got ${S}`);
  const N = B * T;
  if (frames.shape[0] !== N) throw new RangeError(`augmentOnDevice: expected ${N} frames (${B} clips x ${T}), got ${frames.shape[0]}`);
  const packed = frames.rank === 3;
  if (!packed && !(frames.rank === 4 && frames.shape[3] === 3))
    throw new RangeError(`augmentOnDevice: frames must be [N,H,W] packed or [N,H,W,3], got [${frames.shape}]`);
  const H = frames.shape[1]!,
    W = frames.shape[2]!;
  // Boxes in cropAndResize's coordinates on the frame padded by one edge pixel per side: the padding
  // makes its out-of-range samples (at most half a pixel outside) repeat the edge, as the CPU kernel's clamp does.
  const boxes = new Float32Array(N * 4);
  const sat = new Float32Array(N),
    gain = new Float32Array(N),
    bias = new Float32Array(N);
  augments.forEach((a, k) => {
    const m = frameMap(W, H, S, a.crop, a.flip);
    const y1 = (m.y.start + 1) / (H + 1),
      y2 = (m.y.start + (S - 1) * m.y.step + 1) / (H + 1);
    const x1 = (m.x.start + 1) / (W + 1),
      x2 = (m.x.start + (S - 1) * m.x.step + 1) / (W + 1);
    for (let t = 0; t < T; t++) {
      const n = k * T + t;
      boxes.set([y1, x1, y2, x2], n * 4);
      sat[n] = a.color ? a.color.saturation : 1;
      gain[n] = a.color ? a.color.brightness * a.color.contrast : 1;
      bias[n] = a.color ? (1 - a.color.contrast) * 127.5 : 0;
    }
  });
  const jitter = augments.some((a) => a.color !== undefined);
  return tf.tidy(() => {
    const rgb = packed ? unpackPixels(frames) : tf.cast(frames, 'float32');
    const padded = tf.mirrorPad(
      rgb as tf.Tensor4D,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'symmetric',
    );
    const boxInd = tf.range(0, N, 1, 'int32') as tf.Tensor1D;
    let x: tf.Tensor = tf.image.cropAndResize(padded, tf.tensor2d(boxes, [N, 4]), boxInd, [S, S], 'bilinear');
    if (jitter) {
      const s = tf.tensor4d(sat, [N, 1, 1, 1]);
      const luma = tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true);
      x = tf.clipByValue(tf.add(tf.mul(x, s), tf.mul(luma, tf.sub(1, s))), 0, 255);
      x = tf.clipByValue(tf.add(tf.mul(x, tf.tensor4d(gain, [N, 1, 1, 1])), tf.tensor4d(bias, [N, 1, 1, 1])), 0, 255);
    }
    const scale = tf.tensor1d([0, 1, 2].map((c) => 1 / (255 * IMAGENET_STD[c]!)));
    const shift = tf.tensor1d([0, 1, 2].map((c) => -IMAGENET_MEAN[c]! / IMAGENET_STD[c]!));
    return tf.reshape(tf.add(tf.mul(x, scale), shift), [B, T, S, S, 3]) as tf.Tensor5D;
  });
}
