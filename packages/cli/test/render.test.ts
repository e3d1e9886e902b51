import { mkdtemp, mkdir, readFile, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { specToPng, lossSpec, confusionSpec, writeRunPlots } from '../src/render/plots.js';
import { renderMaskFigure } from '../src/render/masks.js';
import { readClip, sortFrames, evenIndices, denormalise } from '../src/runtime/clip.js';
import { writeFileAtomic } from '../src/run/atomic.js';
import { computeMetrics } from '@adatosk/core';

const PNG = [0x89, 0x50, 0x4e, 0x47];

describe('plots and figures', () => {
  it('renders vega-lite plots to PNG files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adatosk-plot-'));
    const history = [1, 2, 3].map((epoch) => ({
      type: 'epoch' as const,
      epoch,
      epochs: 3,
      loss: 2 / epoch,
      cls: 1 / epoch,
      rec: 1,
      lr: 1e-3,
      skipped: 0,
      durationMs: 1,
      clipsPerSec: 1,
    }));
    const m = computeMetrics([0, 1, 1, 2], [0, 1, 2, 2], 3);
    const evals = [2, 3].map((epoch) => ({ type: 'eval' as const, epoch, split: 'test', metrics: m, durationMs: 1 }));
    const files = await writeRunPlots(dir, history, evals, m, ['a', 'b', 'c']);
    expect(files.map((f) => f.split('/').pop())).toEqual(['loss.png', 'accuracy.png', 'confusion.png']);
    for (const f of files) {
      const meta = await sharp(f).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(200);
    }
    const png = await specToPng(lossSpec(history));
    expect(Array.from(png.slice(0, 4))).toEqual(PNG);
    expect(JSON.stringify(confusionSpec(m, ['a', 'b', 'c']))).toContain('"count":1');
  });

  it('draws frames plus one row per soft mask, greying hidden patches', async () => {
    const T = 4,
      S = 32;
    const rgb = new Uint8Array(T * S * S * 3).fill(200);
    const png = await renderMaskFigure(
      rgb,
      T,
      S,
      {
        grid: { frames: 2, height: 2, width: 2 },
        tubelet: 2,
        visible: [0, 3, 4, 7],
        rows: [
          { name: 'class-agnostic', scores: [0, 1, 0.5, 1] },
          { name: 'final', scores: [1, 1, 1, 1] },
        ],
      },
      { scale: 2 },
    );
    const img = sharp(Buffer.from(png));
    const meta = await img.metadata();
    expect(meta.height).toBe(3 * (64 + 4));
    const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    // Row 1 (class-agnostic), frame 0: token 1 (top-right) is hidden -> dark grey; token 0 visible with score 0 -> tinted.
    const y = 68 + 10;
    expect(px(130 + 50, y)).toEqual([70, 70, 70]);
    expect(px(130 + 10, y)[2]).toBeGreaterThan(px(130 + 10, y)[1]);
  });
});

describe('clip input', () => {
  it('sorts frames numerically and samples evenly', () => {
    expect(sortFrames(['10.jpg', '2.jpg', '1.jpg'])).toEqual(['1.jpg', '2.jpg', '10.jpg']);
    expect(sortFrames(['00001_00010.jpg', '00001_00002.jpg'])).toEqual(['00001_00002.jpg', '00001_00010.jpg']);
    expect(evenIndices(16, 4)).toEqual([2, 6, 10, 14]);
    expect(evenIndices(2, 4)).toEqual([0, 0, 1, 1]);
  });
  it('reads a frame folder into a normalised clip and names bad inputs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adatosk-frames-'));
    for (let i = 1; i <= 3; i++) {
      await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: i * 60, g: 0, b: 0 } } })
        .png()
        .toFile(join(dir, `${i}.png`));
    }
    const clip = await readClip(dir, 3, 8);
    expect(clip.shape).toEqual([3, 8, 8, 3]);
    const rgb = denormalise(clip.frames);
    // 20x10 frames are letterboxed into 8x8: black bars above and below, the picture in rows 2-5.
    const red = (t: number, y: number, x: number) => rgb[((t * 8 + y) * 8 + x) * 3];
    expect([red(0, 4, 4), red(1, 4, 4), red(2, 4, 4)]).toEqual([60, 120, 180]);
    expect([red(0, 0, 4), red(2, 7, 4)]).toEqual([0, 0]);
    await expect(readClip(join(dir, 'nope'), 3, 8)).rejects.toThrow(/does not exist/);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(readClip(empty, 3, 8)).rejects.toThrow(/no image frames/);
  });
  it('decodes a video file with ffmpeg into T evenly spaced frames', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adatosk-video-'));
    const file = join(dir, 'clip.mp4');
    const { execFileSync } = await import('node:child_process');
    const { resolveFfmpeg } = await import('@adatosk/datasets');
    execFileSync(await resolveFfmpeg(), [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=red:size=32x32:rate=8',
      '-t',
      '1',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    const clip = await readClip(file, 4, 16);
    expect(clip.shape).toEqual([4, 16, 16, 3]);
    const rgb = denormalise(clip.frames);
    expect(rgb[0]).toBeGreaterThan(200);
    expect(rgb[1]).toBeLessThan(60);
    await writeFile(join(dir, 'x.txt'), 'not a clip');
    await expect(readClip(join(dir, 'x.txt'), 4, 16)).rejects.toThrow(/neither a folder of frames nor a video/);
  });
  it('writes atomically without leaving temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adatosk-atomic-'));
    await writeFileAtomic(join(dir, 'a.bin'), new Uint8Array([1, 2]));
    await writeFileAtomic(join(dir, 'a.bin'), 'xyz');
    expect(await readFile(join(dir, 'a.bin'), 'utf8')).toBe('xyz');
    expect(await readdir(dir)).toEqual(['a.bin']);
    await writeFile(join(dir, 'keep'), '');
  });
});
