// Frames as tensors: the detector and the cropper take a tf.Tensor3D on the active backend (from
// `tf.browser.fromPixels` in a page) or raw RGB/RGBA bytes (a decoded video frame in Node).
import * as tf from '@tensorflow/tfjs-core';
import type { RawImage } from './types.js';

export type ImageInput = tf.Tensor3D | RawImage;

function isTensor(x: ImageInput): x is tf.Tensor3D {
  return x instanceof tf.Tensor;
}

/** Raw RGB or RGBA bytes -> int32 `[H, W, 3]` tensor (the caller disposes it). */
export function rawToTensor(image: RawImage): tf.Tensor3D {
  const { data, width, height } = image;
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 4) {
    throw new Error(`rawToTensor: ${data.length} bytes for a ${width}x${height} image is neither RGB nor RGBA (3 or 4 bytes a pixel).`);
  }
  const t = tf.tensor3d(new Int32Array(data), [height, width, channels], 'int32');
  if (channels === 3) return t;
  const rgb = tf.slice(t, [0, 0, 0], [height, width, 3]);
  t.dispose();
  return rgb;
}

/** Runs `fn` with `image` as an `[H, W, 3]` tensor; a tensor made here is disposed afterwards. */
export async function withImageTensor<T>(image: ImageInput, fn: (t: tf.Tensor3D) => Promise<T> | T): Promise<T> {
  if (isTensor(image)) {
    if (image.rank !== 3 || (image.shape[2] !== 3 && image.shape[2] !== 4)) {
      throw new Error(`expected an [height, width, 3 or 4] image tensor, got shape [${image.shape.join(', ')}].`);
    }
    if (image.shape[2] === 3) return fn(image);
    const rgb = tf.slice(image, [0, 0, 0], [image.shape[0], image.shape[1], 3]);
    try {
      return await fn(rgb);
    } finally {
      rgb.dispose();
    }
  }
  const t = rawToTensor(image);
  try {
    return await fn(t);
  } finally {
    t.dispose();
  }
}

/** `[height, width]` of an image input. */
export function imageSize(image: ImageInput): [number, number] {
  return isTensor(image) ? [image.shape[0], image.shape[1]] : [image.height, image.width];
}
