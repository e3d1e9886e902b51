// The detector's input made in JS straight from a decoded frame's bytes: in Node this skips uploading and
// converting the whole frame (at 640x480 that costs more than the detector itself on WASM). Downscaling
// averages each output pixel's source area (a box filter: no aliasing); upscaling is bilinear.
import type { RawImage } from '../types.js';

/** Frame -> input pixel mapping of a letterbox (see decode.ts). */
export interface LetterboxGeometry {
  /** Size of the frame inside the square input. */
  width: number;
  height: number;
  padX: number;
  padY: number;
}

export function letterboxGeometry(width: number, height: number, size: number): LetterboxGeometry {
  if (!(width > 0 && height > 0)) throw new Error(`letterbox: empty image (${width}x${height}).`);
  const side = Math.max(width, height);
  const w = Math.max(1, Math.round((width * size) / side));
  const h = Math.max(1, Math.round((height * size) / side));
  return { width: w, height: h, padX: Math.floor((size - w) / 2), padY: Math.floor((size - h) / 2) };
}

function channelsOf(image: RawImage): number {
  const c = image.data.length / (image.width * image.height);
  if (c !== 3 && c !== 4)
    throw new Error(`expected RGB or RGBA bytes for a ${image.width}x${image.height} image, got ${image.data.length} bytes.`);
  return c;
}

/**
 * `[size, size, 3]` float32 in [-1, 1] (BlazeFace's input range), the frame scaled to fit and centred,
 * padding black (-1).
 */
export function letterboxRaw(
  image: RawImage,
  size: number,
  g: LetterboxGeometry = letterboxGeometry(image.width, image.height, size),
): Float32Array {
  const { data, width: W, height: H } = image;
  const C = channelsOf(image);
  const out = new Float32Array(size * size * 3).fill(-1);
  const sx = W / g.width;
  const sy = H / g.height;
  const k = 2 / 255;
  if (sx >= 1 && sy >= 1) {
    for (let oy = 0; oy < g.height; oy++) {
      const y0 = Math.floor(oy * sy);
      const y1 = Math.max(y0 + 1, Math.min(H, Math.floor((oy + 1) * sy)));
      for (let ox = 0; ox < g.width; ox++) {
        const x0 = Math.floor(ox * sx);
        const x1 = Math.max(x0 + 1, Math.min(W, Math.floor((ox + 1) * sx)));
        let r = 0;
        let gr = 0;
        let b = 0;
        for (let y = y0; y < y1; y++) {
          let i = (y * W + x0) * C;
          for (let x = x0; x < x1; x++, i += C) {
            r += data[i];
            gr += data[i + 1];
            b += data[i + 2];
          }
        }
        const scale = k / ((y1 - y0) * (x1 - x0));
        const o = ((oy + g.padY) * size + ox + g.padX) * 3;
        out[o] = r * scale - 1;
        out[o + 1] = gr * scale - 1;
        out[o + 2] = b * scale - 1;
      }
    }
    return out;
  }
  for (let oy = 0; oy < g.height; oy++) {
    const fy = Math.min(H - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(H - 1, y0 + 1);
    const wy = fy - y0;
    for (let ox = 0; ox < g.width; ox++) {
      const fx = Math.min(W - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(W - 1, x0 + 1);
      const wx = fx - x0;
      const o = ((oy + g.padY) * size + ox + g.padX) * 3;
      for (let c = 0; c < 3; c++) {
        const top = data[(y0 * W + x0) * C + c] * (1 - wx) + data[(y0 * W + x1) * C + c] * wx;
        const bottom = data[(y1 * W + x0) * C + c] * (1 - wx) + data[(y1 * W + x1) * C + c] * wx;
        out[o + c] = (top * (1 - wy) + bottom * wy) * k - 1;
      }
    }
  }
  return out;
}
