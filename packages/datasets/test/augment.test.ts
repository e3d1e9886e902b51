import { describe, expect, it } from 'vitest';
import { IMAGENET_MEAN, IMAGENET_STD, createRng } from '@adatosk/core';
import {
  DEFAULT_AUGMENT,
  denormalize,
  drawAugment,
  drawCrop,
  flipHorizontal,
  normalizeFrame,
  saturatePixels,
} from '@adatosk/datasets/synthetic';
import { decodeFrame } from '@adatosk/datasets';

describe('augmentation', () => {
  it('random resized crops stay inside the frame with the requested area and ratio', () => {
    const rng = createRng(4);
    for (let k = 0; k < 200; k++) {
      const c = drawCrop({ scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }, rng);
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.y).toBeGreaterThanOrEqual(0);
      expect(c.x + c.w).toBeLessThanOrEqual(1 + 1e-9);
      expect(c.y + c.h).toBeLessThanOrEqual(1 + 1e-9);
      expect(c.w * c.h).toBeGreaterThanOrEqual(0.08 - 1e-9);
    }
    const a = drawAugment(DEFAULT_AUGMENT, createRng(9)),
      b = drawAugment(DEFAULT_AUGMENT, createRng(9));
    expect(a).toEqual(b);
    expect(drawAugment(false, createRng(9))).toEqual({ crop: { x: 0, y: 0, w: 1, h: 1 }, flip: false });
  });

  it('normalises with ImageNet statistics and inverts', () => {
    const px = Uint8Array.from([0, 128, 255, 10, 20, 30]);
    const out = new Float32Array(6);
    normalizeFrame(px, out, 0);
    expect(out[0]).toBeCloseTo((0 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 5);
    expect(out[2]).toBeCloseTo((1 - IMAGENET_MEAN[2]) / IMAGENET_STD[2], 5);
    expect(Array.from(denormalize(out))).toEqual(Array.from(px));
    // Brightness 2 saturates; contrast 0 gives mid-grey everywhere.
    normalizeFrame(px, out, 0, { brightness: 1, contrast: 0, saturation: 1 });
    denormalize(out).forEach((v) => expect(Math.abs(v - 127.5)).toBeLessThanOrEqual(0.5));
    normalizeFrame(px, out, 0, { brightness: 2, contrast: 1, saturation: 1 });
    expect(Array.from(denormalize(out))).toEqual([0, 255, 255, 20, 40, 60]);
  });

  it('sharp applies the same flip and saturation as the TypeScript path', async () => {
    const S = 8;
    const px = new Uint8Array(S * S * 3).map((_, i) => (i * 37) % 256);
    const sharp = (await import('sharp')).default;
    const png = await sharp(px, { raw: { width: S, height: S, channels: 3 } })
      .png()
      .toBuffer();
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(await mkdtemp(join(tmpdir(), 'adatosk-aug-')), 'f.png');
    await writeFile(file, png);
    const full = { x: 0, y: 0, w: 1, h: 1 };
    expect(Array.from(await decodeFrame({ kind: 'file', path: file }, { crop: full, flip: false, size: S }))).toEqual(Array.from(px));
    expect(Array.from(await decodeFrame({ kind: 'file', path: file }, { crop: full, flip: true, size: S }))).toEqual(
      Array.from(flipHorizontal(px, S, S)),
    );
    // Crop the right half of a half-black, half-white frame: all white.
    const halves = new Uint8Array(16 * 16 * 3).map((_, i) => (Math.floor(i / 3) % 16 >= 8 ? 255 : 0));
    const halfFile = file.replace('f.png', 'h.png');
    await writeFile(
      halfFile,
      await sharp(halves, { raw: { width: 16, height: 16, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const right = await decodeFrame({ kind: 'file', path: halfFile }, { crop: { x: 0.5, y: 0.25, w: 0.5, h: 0.5 }, flip: false, size: 8 });
    expect(Math.min(...right)).toBeGreaterThanOrEqual(250);
    const left = await decodeFrame({ kind: 'file', path: halfFile }, { crop: { x: 0, y: 0, w: 0.45, h: 1 }, flip: false, size: 8 });
    expect(Math.max(...left)).toBeLessThanOrEqual(5);
    const viaSharp = await decodeFrame({ kind: 'file', path: file }, { crop: full, flip: false, size: S, saturation: 1.5 });
    const viaTs = saturatePixels(px, 1.5);
    viaSharp.forEach((v, i) => expect(Math.abs(v - viaTs[i]!)).toBeLessThanOrEqual(1));
  });
});
