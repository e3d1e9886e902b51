// Cutting faces out of a frame on the active backend: one projective transform per face (bilinear,
// black outside the frame), so a page never reads the frame back to the CPU.
import * as tf from '@tensorflow/tfjs-core';
import type { ImageInput } from '../image.js';
import { warpCropRaw } from '../raw/warp.js';
import type { RawImage } from '../types.js';
import { cropTransform, type FaceCrop } from './geometry.js';

function checkSize(size: number): void {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`crop size must be a positive integer, got ${size}.`);
}

/**
 * `[N, size, size, 3]` float32 crops in 0..255 (RGB) of an `[H, W, 3|4]` frame tensor, one per crop, on the
 * frame's backend; the caller disposes them.
 */
export function cropFaces(image: tf.Tensor3D, crops: readonly FaceCrop[], size: number): tf.Tensor4D {
  checkSize(size);
  return tf.tidy(() => {
    if (image.rank === 3 && image.shape[2] === 4) image = tf.slice(image, [0, 0, 0], [image.shape[0], image.shape[1], 3]);
    if (crops.length === 0) return tf.zeros([0, size, size, 3]) as tf.Tensor4D;
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const one = crops.map((c) => tf.image.transform(batch, tf.tensor2d([cropTransform(c, size)]), 'bilinear', 'constant', 0, [size, size]));
    return (one.length === 1 ? one[0] : tf.concat(one, 0)) as tf.Tensor4D;
  });
}

/** Crops of raw frame bytes, cut in JS: one `size * size * 3` RGB array per crop. */
export function cropFacesRaw(image: RawImage, crops: readonly FaceCrop[], size: number): Uint8Array[] {
  checkSize(size);
  return crops.map((c) => warpCropRaw(image, c, size));
}

/** Crops as RGB bytes, one `size * size * 3` array per crop (for writing frames or feeding a clip). */
export async function cropFacesToBytes(image: ImageInput, crops: readonly FaceCrop[], size: number): Promise<Uint8Array[]> {
  if (!(image instanceof tf.Tensor)) return cropFacesRaw(image, crops, size);
  if (crops.length === 0) return [];
  const t = cropFaces(image, crops, size);
  let values: Float32Array;
  try {
    values = (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
  const n = size * size * 3;
  return crops.map((_, i) => {
    const out = new Uint8Array(n);
    for (let j = 0; j < n; j++) out[j] = Math.round(values[i * n + j]); // Uint8Array clamps; round first
    return out;
  });
}
