// Where each output pixel of an augmented frame samples its source: the random resized crop and the flip
// as per-axis index/weight tables. The geometry mirrors `decodeFrame` (sharp): the whole frame is scaled
// so that the crop box becomes size x size (fill, no aspect kept), an integer size x size window is
// extracted, and bilinear samples sit at pixel centres with edges clamped. Browser-safe, pure.
import type { CropBox } from '../common/augment.js';

/** Per output index along one axis: the two source indices and the weight of the second. */
export interface ResampleAxis {
  i0: Int32Array;
  i1: Int32Array;
  w: Float32Array;
}

/** Source coordinates of one axis as an affine map of the output index: `src = start + o * step` (before clamping). */
export interface AxisMap {
  start: number;
  step: number;
}

export interface FrameMap {
  x: AxisMap;
  y: AxisMap;
}

const isFull = (c: CropBox) => c.x === 0 && c.y === 0 && c.w === 1 && c.h === 1;

/** Scaled size and integer offset of the crop window along one axis (as `decodeFrame` computes them). */
function window(size: number, offset: number, extent: number, full: boolean): { scaled: number; first: number } {
  if (full) return { scaled: size, first: 0 };
  const scaled = Math.max(size, Math.round(size / extent));
  const first = Math.min(scaled - size, Math.max(0, Math.round(offset * scaled)));
  return { scaled, first };
}

/**
 * Affine source-coordinate maps of a `size` x `size` output taken from a `srcWidth` x `srcHeight` frame
 * with `crop` (normalised) and an optional horizontal flip. Output pixel o samples source coordinate
 * `(first + o + 0.5) * (src / scaled) - 0.5`; a flip reverses the output order.
 */
export function frameMap(srcWidth: number, srcHeight: number, size: number, crop: CropBox, flip: boolean): FrameMap {
  const full = isFull(crop);
  const wx = window(size, crop.x, crop.w, full);
  const wy = window(size, crop.y, crop.h, full);
  const sx = srcWidth / wx.scaled,
    sy = srcHeight / wy.scaled;
  const x0 = (wx.first + 0.5) * sx - 0.5;
  const x: AxisMap = flip ? { start: x0 + (size - 1) * sx, step: -sx } : { start: x0, step: sx };
  return { x, y: { start: (wy.first + 0.5) * sy - 0.5, step: sy } };
}

/** Index/weight table of one axis, source coordinates clamped to the frame (edge pixels repeat). */
export function axisTable(map: AxisMap, size: number, srcLength: number): ResampleAxis {
  const i0 = new Int32Array(size),
    i1 = new Int32Array(size),
    w = new Float32Array(size);
  const last = srcLength - 1;
  for (let o = 0; o < size; o++) {
    let s = map.start + o * map.step;
    s = s < 0 ? 0 : s > last ? last : s;
    const f = Math.floor(s);
    i0[o] = f;
    i1[o] = f < last ? f + 1 : last;
    w[o] = s - f;
  }
  return { i0, i1, w };
}

/** True when the map samples every source pixel exactly once in order (same size, no crop, no flip). */
export function isIdentityMap(map: FrameMap, srcWidth: number, srcHeight: number, size: number): boolean {
  return srcWidth === size && srcHeight === size && map.x.step === 1 && map.y.step === 1 && map.x.start === 0 && map.y.start === 0;
}
