// The CPU augmentation kernel: one uint8 RGB frame -> crop, resize (bilinear), flip, colour jitter and
// ImageNet normalisation, written as float32 straight into a clip buffer, in one pass. Runs in worker
// threads (and in-process); `augmentOnDevice` is the same computation as tensor ops. Browser-safe, pure.
// Imports nothing from @adatosk/core (the normalisation comes with the work), so worker threads stay light.
import type { ColorFactors, CropBox } from '../common/augment.js';
import { type FrameMap, type ResampleAxis, axisTable, frameMap, isIdentityMap } from './geometry.js';

/** What to do to every frame of one clip (drawn once per clip, as group transforms do). */
export interface FrameAugment {
  /** Output size (H = W). */
  size: number;
  crop: CropBox;
  flip: boolean;
  color?: ColorFactors;
}

/** Per-clip tables for one source frame size; reused for every frame of that size. */
export interface FramePlan {
  size: number;
  srcWidth: number;
  srcHeight: number;
  map: FrameMap;
  xs: ResampleAxis;
  ys: ResampleAxis;
  identity: boolean;
}

export function planFrame(srcWidth: number, srcHeight: number, a: FrameAugment): FramePlan {
  const map = frameMap(srcWidth, srcHeight, a.size, a.crop, a.flip);
  return {
    size: a.size,
    srcWidth,
    srcHeight,
    map,
    xs: axisTable(map.x, a.size, srcWidth),
    ys: axisTable(map.y, a.size, srcHeight),
    identity: isIdentityMap(map, srcWidth, srcHeight, a.size),
  };
}

/** Per-channel normalisation `(v / 255 - mean) / std`, as a map of v in 0..255: `v * scale + shift`. */
export interface Normalization {
  mean: readonly number[];
  std: readonly number[];
}

function affine(n: Normalization): { scale: number[]; shift: number[] } {
  return { scale: [0, 1, 2].map((c) => 1 / (255 * n.std[c]!)), shift: [0, 1, 2].map((c) => -n.mean[c]! / n.std[c]!) };
}

/**
 * Writes the augmented frame (size*size*3 float32, ImageNet-normalised) into `out` at `offset`.
 * Colour jitter as in the sharp path: saturation (blend with luma, clamped to [0, 255]), then brightness and
 * contrast as `clamp(brightness * contrast * v + (1 - contrast) * 127.5, 0, 255)`. Values are not rounded
 * to uint8 between steps (the sharp path rounds; the difference is below one grey level).
 */
export function augmentFrame(
  src: Uint8Array,
  plan: FramePlan,
  color: ColorFactors | undefined,
  norm: Normalization,
  out: Float32Array,
  offset: number,
): void {
  const S = plan.size;
  const sat = color ? color.saturation : 1;
  const a = color ? color.brightness * color.contrast : 1;
  const b = color ? (1 - color.contrast) * 127.5 : 0;
  const { scale, shift } = affine(norm);
  const k0 = scale[0]!,
    k1 = scale[1]!,
    k2 = scale[2]!,
    m0 = shift[0]!,
    m1 = shift[1]!,
    m2 = shift[2]!;
  if (plan.identity && sat === 1) {
    // Same size, no crop, no flip, no saturation: a per-value affine map (brightness/contrast folded in).
    const n = S * S * 3;
    for (let i = 0, o = offset; i < n; i += 3, o += 3) {
      let r = a * src[i]! + b,
        g = a * src[i + 1]! + b,
        bl = a * src[i + 2]! + b;
      r = r < 0 ? 0 : r > 255 ? 255 : r;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      bl = bl < 0 ? 0 : bl > 255 ? 255 : bl;
      out[o] = r * k0 + m0;
      out[o + 1] = g * k1 + m1;
      out[o + 2] = bl * k2 + m2;
    }
    return;
  }
  const rowStride = plan.srcWidth * 3;
  const xi0 = plan.xs.i0,
    xi1 = plan.xs.i1,
    xw = plan.xs.w;
  const yi0 = plan.ys.i0,
    yi1 = plan.ys.i1,
    yw = plan.ys.w;
  const grey = 1 - sat;
  const jitter = color !== undefined;
  let o = offset;
  for (let y = 0; y < S; y++) {
    const r0 = yi0[y]! * rowStride,
      r1 = yi1[y]! * rowStride;
    const wy = yw[y]!,
      wy0 = 1 - wy;
    for (let x = 0; x < S; x++) {
      const c0 = xi0[x]! * 3,
        c1 = xi1[x]! * 3;
      const wx = xw[x]!,
        wx0 = 1 - wx;
      const p00 = r0 + c0,
        p01 = r0 + c1,
        p10 = r1 + c0,
        p11 = r1 + c1;
      let R = (src[p00]! * wx0 + src[p01]! * wx) * wy0 + (src[p10]! * wx0 + src[p11]! * wx) * wy;
      let G = (src[p00 + 1]! * wx0 + src[p01 + 1]! * wx) * wy0 + (src[p10 + 1]! * wx0 + src[p11 + 1]! * wx) * wy;
      let B = (src[p00 + 2]! * wx0 + src[p01 + 2]! * wx) * wy0 + (src[p10 + 2]! * wx0 + src[p11 + 2]! * wx) * wy;
      if (jitter) {
        if (grey !== 0) {
          const l = grey * (0.299 * R + 0.587 * G + 0.114 * B);
          R = sat * R + l;
          G = sat * G + l;
          B = sat * B + l;
          R = R < 0 ? 0 : R > 255 ? 255 : R;
          G = G < 0 ? 0 : G > 255 ? 255 : G;
          B = B < 0 ? 0 : B > 255 ? 255 : B;
        }
        R = a * R + b;
        G = a * G + b;
        B = a * B + b;
        R = R < 0 ? 0 : R > 255 ? 255 : R;
        G = G < 0 ? 0 : G > 255 ? 255 : G;
        B = B < 0 ? 0 : B > 255 ? 255 : B;
      }
      out[o] = R * k0 + m0;
      out[o + 1] = G * k1 + m1;
      out[o + 2] = B * k2 + m2;
      o += 3;
    }
  }
}
