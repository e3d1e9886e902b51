// Clip-level augmentation parameters (one draw per clip, applied to every frame, as group transforms do)
// and the final uint8 RGB -> ImageNet-normalised float conversion with colour jitter. Browser-safe, pure.
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import type { Rng } from '@adatosk/core';

export interface CropOptions {
  /** Area fraction range (torchvision RandomResizedCrop; MAE-DFER uses [0.08, 1]). */
  scale: [number, number];
  /** Aspect ratio range. */
  ratio: [number, number];
}

export interface JitterOptions {
  /** Factor drawn from [1 - b, 1 + b]. */
  brightness: number;
  contrast: number;
  saturation: number;
}

/** Train-time augmentation. `false` disables a step. */
export interface AugmentOptions {
  crop?: CropOptions | false;
  flip?: boolean;
  jitter?: JitterOptions | false;
}

export const DEFAULT_AUGMENT: Required<AugmentOptions> = {
  crop: { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] },
  flip: true,
  jitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4 },
};

/** Crop rectangle in normalised coordinates of the (square-resized) frame. */
export interface CropBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ColorFactors {
  brightness: number;
  contrast: number;
  saturation: number;
}

export interface AugmentParams {
  crop: CropBox;
  flip: boolean;
  color?: ColorFactors;
}

export const FULL_FRAME: CropBox = { x: 0, y: 0, w: 1, h: 1 };

/** torchvision RandomResizedCrop.get_params on a unit square: 10 tries, then a centre crop with clamped ratio. */
export function drawCrop(options: CropOptions, rng: Rng): CropBox {
  const [smin, smax] = options.scale;
  const logLo = Math.log(options.ratio[0]);
  const logHi = Math.log(options.ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const area = rng.uniform(smin, smax);
    const ratio = Math.exp(rng.uniform(logLo, logHi));
    const w = Math.sqrt(area * ratio);
    const h = Math.sqrt(area / ratio);
    if (w > 0 && h > 0 && w <= 1 && h <= 1) return { x: rng.float() * (1 - w), y: rng.float() * (1 - h), w, h };
  }
  return FULL_FRAME;
}

/** Draws one clip's augmentation. */
export function drawAugment(options: AugmentOptions | false, rng: Rng): AugmentParams {
  if (options === false) return { crop: FULL_FRAME, flip: false };
  const o = { ...DEFAULT_AUGMENT, ...options };
  const crop = o.crop ? drawCrop(o.crop, rng) : FULL_FRAME;
  const flip = o.flip ? rng.chance(0.5) : false;
  const color = o.jitter
    ? {
        brightness: rng.uniform(Math.max(0, 1 - o.jitter.brightness), 1 + o.jitter.brightness),
        contrast: rng.uniform(Math.max(0, 1 - o.jitter.contrast), 1 + o.jitter.contrast),
        saturation: rng.uniform(Math.max(0, 1 - o.jitter.saturation), 1 + o.jitter.saturation),
      }
    : undefined;
  return { crop, flip, color };
}

/**
 * Colour jitter in two steps that image libraries can run cheaply: saturation as a 3x3 matrix (blend with
 * luma; sharp `recomb`), then brightness and contrast as one affine map per value, `clamp(a v + b)`, which
 * folds into the normalisation table. Contrast pivots on mid-grey (127.5), not on the per-image mean grey
 * torchvision uses, so every frame of a clip gets the same map.
 */
export function saturationMatrix(saturation: number): number[][] {
  const w = [0.299, 0.587, 0.114];
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === c ? saturation : 0) + (1 - saturation) * w[c]!));
}

/** Applies the saturation matrix to uint8 RGB pixels (pure-TypeScript path; sharp uses `recomb`). */
export function saturatePixels(pixels: Uint8Array, saturation: number): Uint8Array {
  const m = saturationMatrix(saturation);
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 3) {
    const r = pixels[i]!,
      g = pixels[i + 1]!,
      b = pixels[i + 2]!;
    for (let c = 0; c < 3; c++) {
      const v = m[c]![0]! * r + m[c]![1]! * g + m[c]![2]! * b;
      out[i + c] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
    }
  }
  return out;
}

const PLAIN_TABLE = normalizationTable();

/**
 * uint8 -> float table (768 entries, one block per channel): brightness and contrast (clamped to [0, 255]),
 * then ImageNet normalisation. One table per clip; the per-value work is then a lookup.
 */
export function normalizationTable(color?: ColorFactors): Float32Array {
  const a = color ? color.brightness * color.contrast : 1;
  const b = color ? (1 - color.contrast) * 127.5 : 0;
  const lut = new Float32Array(768);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      const x = Math.min(255, Math.max(0, a * v + b));
      lut[c * 256 + v] = (x / 255 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    }
  }
  return lut;
}

/** Writes uint8 RGB `pixels` into `out` at `offset` through a `normalizationTable`. */
export function normalizeWithTable(pixels: Uint8Array, out: Float32Array, offset: number, lut: Float32Array): void {
  const n = pixels.length;
  for (let i = 0, o = offset; i < n; i += 3, o += 3) {
    out[o] = lut[pixels[i]!]!;
    out[o + 1] = lut[256 + pixels[i + 1]!]!;
    out[o + 2] = lut[512 + pixels[i + 2]!]!;
  }
}

/**
 * Writes `pixels` (H*W*3 uint8 RGB) into `out` at `offset`, ImageNet-normalised, after optional colour
 * jitter (saturation, then brightness and contrast). Pure TypeScript.
 */
export function normalizeFrame(pixels: Uint8Array, out: Float32Array, offset: number, color?: ColorFactors): void {
  if (!color) {
    normalizeWithTable(pixels, out, offset, PLAIN_TABLE);
    return;
  }
  const src = color.saturation !== 1 ? saturatePixels(pixels, color.saturation) : pixels;
  normalizeWithTable(src, out, offset, normalizationTable(color));
}

/** Inverse of the normalisation, for previews and tests: float [T,H,W,3] -> uint8 RGB. */
export function denormalize(frames: Float32Array): Uint8Array {
  const out = new Uint8Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const ch = i % 3;
    const v = (frames[i]! * IMAGENET_STD[ch]! + IMAGENET_MEAN[ch]!) * 255;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return out;
}
