import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@adatosk/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import {
  DEFAULT_AUGMENT,
  augmentFrame,
  augmentOnDevice,
  drawAugment,
  frameMap,
  normalizationTable,
  normalizeWithTable,
  packPixels,
  planFrame,
  unpackPixels,
  type FrameAugment,
} from '@adatosk/datasets/synthetic';
import { decodeFrame } from '@adatosk/datasets';

const NORM = { mean: IMAGENET_MEAN, std: IMAGENET_STD };

/** A smooth test image with some detail (so resampling differences stay small but visible). */
function image(w: number, h: number, seed = 1): Uint8Array {
  const rng = createRng(seed);
  const [a, b, c] = [rng.uniform(0.02, 0.08), rng.uniform(0.02, 0.08), rng.uniform(0, 6)];
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < 3; ch++) {
        px[(y * w + x) * 3 + ch] = Math.round(127.5 + 120 * Math.sin(a * x * (ch + 1) + b * y + c + ch));
      }
  return px;
}

function cpuAugment(px: Uint8Array, w: number, h: number, a: FrameAugment): Float32Array {
  const out = new Float32Array(a.size * a.size * 3);
  augmentFrame(px, planFrame(w, h, a), a.color, NORM, out, 0);
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('augmentation kernel', () => {
  it('samples like sharp: identity, flip, and half-pixel centres', () => {
    const m = frameMap(8, 8, 8, { x: 0, y: 0, w: 1, h: 1 }, false);
    expect(m.x).toEqual({ start: 0, step: 1 });
    const f = frameMap(8, 8, 8, { x: 0, y: 0, w: 1, h: 1 }, true);
    expect(f.x).toEqual({ start: 7, step: -1 });
    // 16 -> 8: output pixel o samples source 2o + 0.5.
    expect(frameMap(16, 16, 8, { x: 0, y: 0, w: 1, h: 1 }, false).y).toEqual({ start: 0.5, step: 2 });
    const px = image(8, 8);
    const plain = cpuAugment(px, 8, 8, { size: 8, crop: { x: 0, y: 0, w: 1, h: 1 }, flip: false });
    const table = normalizationTable();
    const want = new Float32Array(8 * 8 * 3);
    normalizeWithTable(px, want, 0, table);
    expect(maxDiff(plain, want)).toBeLessThan(1e-5);
  });

  it('matches the sharp path (decodeFrame + normalisation table) to a grey level when downscaling', async () => {
    const W = 96,
      S = 40;
    const px = image(W, W, 3);
    const rng = createRng(11);
    let down = 0;
    for (let k = 0; k < 16; k++) {
      const p = drawAugment(DEFAULT_AUGMENT, rng);
      const a: FrameAugment = { size: S, crop: p.crop, flip: false, ...(p.color ? { color: p.color } : {}) };
      const viaSharp = await decodeFrame(
        { kind: 'raw', image: { data: px, width: W, height: W, channels: 3 } },
        { crop: p.crop, flip: false, size: S, ...(p.color ? { saturation: p.color.saturation } : {}) },
      );
      const ref = new Float32Array(S * S * 3);
      normalizeWithTable(viaSharp, ref, 0, normalizationTable(p.color));
      const ours = cpuAugment(px, W, W, a);
      // Mean difference in grey levels (1 level = 1/255/std ~ 0.0175 in normalised units).
      let sum = 0;
      for (let i = 0; i < ours.length; i++) sum += Math.abs(ours[i]! - ref[i]!) * 255 * IMAGENET_STD[i % 3]!;
      // Upscaling, libvips samples about half a source pixel off the pixel centres that we (and torchvision) use.
      const upscaled = S / p.crop.w > W || S / p.crop.h > W;
      expect(sum / ours.length).toBeLessThan(upscaled ? 8 : 1);
      if (!upscaled) down++;
    }
    expect(down).toBeGreaterThan(4);
  });

  it('flips the cropped window (torchvision order: crop, then flip)', () => {
    const W = 50,
      S = 20;
    const px = image(W, W, 8);
    const crop = { x: 0.13, y: 0.3, w: 0.61, h: 0.5 };
    const color = { brightness: 0.9, contrast: 1.2, saturation: 0.7 };
    const plain = cpuAugment(px, W, W, { size: S, crop, flip: false, color });
    const flipped = cpuAugment(px, W, W, { size: S, crop, flip: true, color });
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++)
        for (let c = 0; c < 3; c++) {
          expect(flipped[(y * S + x) * 3 + c]).toBeCloseTo(plain[(y * S + S - 1 - x) * 3 + c]!, 4);
        }
  });

  it('on the device gives the same clips as on the CPU (packed upload, crop, flip, jitter)', async () => {
    const H = 20,
      W = 24,
      S = 12,
      T = 3;
    const rng = createRng(5);
    const augments: FrameAugment[] = [];
    const frames = [0, 1].flatMap((b) => Array.from({ length: T }, (_, t) => image(W, H, 10 * b + t)));
    for (let b = 0; b < 2; b++) {
      const p = drawAugment(DEFAULT_AUGMENT, rng);
      augments.push({ size: S, crop: p.crop, flip: b === 0 ? true : p.flip, ...(p.color ? { color: p.color } : {}) });
    }
    augments.push({ size: S, crop: { x: 0, y: 0, w: 1, h: 1 }, flip: false }); // no jitter
    frames.push(...Array.from({ length: T }, (_, t) => image(W, H, 40 + t)));
    const packed = new Int32Array(frames.length * H * W);
    frames.forEach((f, n) => packPixels(f, packed, n * H * W));
    const before = tf.memory().numTensors;
    const input = tf.tensor3d(packed, [frames.length, H, W], 'int32');
    const rgb = unpackPixels(input);
    expect(Array.from((await rgb.data()).slice(0, 6))).toEqual(Array.from(frames[0]!.slice(0, 6)));
    rgb.dispose();
    const out = augmentOnDevice(input, { framesPerClip: T, augments });
    expect(out.shape).toEqual([3, T, S, S, 3]);
    const got = await out.data();
    tf.dispose([input, out]);
    expect(tf.memory().numTensors).toBe(before);
    const len = S * S * 3;
    frames.forEach((f, n) => {
      const want = cpuAugment(f, W, H, augments[Math.floor(n / T)]!);
      expect(maxDiff(got.subarray(n * len, (n + 1) * len), want)).toBeLessThan(1e-3);
    });
  });
});
