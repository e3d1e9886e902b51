// Frames -> model input: resize to the model's size, ImageNet-normalise, stack to [1, T, H, W, 3].
import * as tf from '@tensorflow/tfjs-core';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';

/** Raw pixels: RGB or RGBA bytes, row-major (ImageData, a synthetic clip frame, a decoded frame). */
export interface RawFrame {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Anything a frame can come from: raw pixels or a browser image source `tf.browser.fromPixels` reads. */
export type Frame = RawFrame | ImageBitmap | HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageData;

function isRaw(f: Frame): f is RawFrame {
  return typeof (f as RawFrame).width === 'number' && (f as RawFrame).data instanceof Object && ArrayBuffer.isView((f as RawFrame).data);
}

/** One frame as an int32 [H, W, 3] tensor. */
export function frameToTensor(frame: Frame): tf.Tensor3D {
  if (isRaw(frame)) {
    const { data, width, height } = frame;
    const channels = data.length / (width * height);
    if (channels !== 3 && channels !== 4) {
      throw new Error(`frameToTensor: ${data.length} bytes for a ${width}x${height} frame is neither RGB nor RGBA.`);
    }
    return tf.tidy(() => {
      const t = tf.tensor3d(Int32Array.from(data), [height, width, channels], 'int32');
      return channels === 4 ? tf.slice(t, [0, 0, 0], [height, width, 3]) : t;
    });
  }
  return tf.browser.fromPixels(frame as Exclude<Frame, RawFrame>, 3);
}

export interface ClipOptions {
  /** Model input side in pixels (config.imageSize). */
  size: number;
  mean?: readonly number[];
  std?: readonly number[];
}

/** Frames (any sizes) -> float32 [1, T, size, size, 3], bilinear-resized and ImageNet-normalised. */
export function framesToClip(frames: readonly Frame[], options: ClipOptions): tf.Tensor5D {
  if (frames.length === 0) throw new Error('framesToClip: no frames given.');
  const { size } = options;
  const mean = options.mean ?? IMAGENET_MEAN;
  const std = options.std ?? IMAGENET_STD;
  return tf.tidy(() => {
    const resized = frames.map((f) => {
      const t = tf.cast(frameToTensor(f), 'float32');
      return t.shape[0] === size && t.shape[1] === size ? t : tf.image.resizeBilinear(t, [size, size], false, true);
    });
    const stacked = tf.div(tf.stack(resized), 255) as tf.Tensor4D;
    const normed = tf.div(tf.sub(stacked, tf.tensor1d(mean as number[])), tf.tensor1d(std as number[]));
    return tf.expandDims(normed, 0) as tf.Tensor5D;
  });
}
