// Face crops cut in JS from a decoded frame's bytes (Node: no frame upload), with the same mapping and
// sampling as `tf.image.transform` (bilinear, each neighbour outside the frame reads 0) that the tensor
// path uses, so both give the same crop up to rounding.
import { cropTransform, type FaceCrop } from '../crop/geometry.js';
import type { RawImage } from '../types.js';

/** One `size * size * 3` RGB crop. */
export function warpCropRaw(image: RawImage, crop: FaceCrop, size: number): Uint8Array {
  const { data, width: W, height: H } = image;
  const C = data.length / (W * H);
  if (C !== 3 && C !== 4) throw new Error(`expected RGB or RGBA bytes for a ${W}x${H} image, got ${data.length} bytes.`);
  const [a0, a1, a2, b0, b1, b2] = cropTransform(crop, size);
  const out = new Uint8Array(size * size * 3);
  const read = (y: number, x: number, c: number) => (y >= 0 && y < H && x >= 0 && x < W ? data[(y * W + x) * C + c] : 0);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const x = a0 * u + a1 * v + a2;
      const y = b0 * u + b1 * v + b2;
      const o = (v * size + u) * 3;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < -1 || y0 < -1 || x0 >= W || y0 >= H) continue; // all four neighbours outside: 0
      const wx = x - x0;
      const wy = y - y0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H) {
        const i00 = (y0 * W + x0) * C;
        const i10 = i00 + C;
        const i01 = i00 + W * C;
        const i11 = i01 + C;
        for (let c = 0; c < 3; c++) {
          const top = data[i00 + c] + (data[i10 + c] - data[i00 + c]) * wx;
          const bottom = data[i01 + c] + (data[i11 + c] - data[i01 + c]) * wx;
          out[o + c] = Math.round(top + (bottom - top) * wy);
        }
      } else {
        for (let c = 0; c < 3; c++) {
          const top = read(y0, x0, c) * (1 - wx) + read(y0, x0 + 1, c) * wx;
          const bottom = read(y0 + 1, x0, c) * (1 - wx) + read(y0 + 1, x0 + 1, c) * wx;
          out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
  }
  return out;
}
