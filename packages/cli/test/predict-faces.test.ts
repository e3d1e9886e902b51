// `adatosk predict` on real-face videos (fixtures of @adatosk/faces): face tracks, sliding windows, the
// --json timeline with boxes, --face all, --no-detect (letterboxed whole frame), and a video without a face:
// `no face found` and exit code 3, never a class.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureIo } from '../src/io.js';
import { runTrain } from '../src/commands/train.js';
import { runPredict } from '../src/commands/predict.js';
import { main } from '../src/main.js';
import { SMALL_TINY_OVERRIDES } from './support/small-model.js';

const FIXTURES = fileURLToPath(new URL('../../faces/test/fixtures/', import.meta.url));
let out: string;
let runDir: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'adatosk-predict-'));
  // A tiny model (4 frames of 32 px): what is tested here is the face pipeline around it, not its accuracy.
  const r = await runTrain({
    overrides: {
      model: {
        preset: 'tiny',
        overrides: { ...SMALL_TINY_OVERRIDES },
      },
      data: { trainClips: 7, testClips: 7 },
      train: { epochs: 1, batchSize: 7, lr: 1e-3, warmupEpochs: 0 },
      output: { dir: out, name: 'faces', plots: false },
      backend: 'wasm',
    },
    io: captureIo(),
  });
  runDir = r.runDir;
}, 300_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

const predict = (input: string, extra: Record<string, unknown> = {}) => {
  const io = captureIo();
  return { io, run: runPredict({ checkpoint: runDir, input, backend: 'wasm', io, ...extra }) };
};

describe('adatosk predict on face videos', () => {
  it('follows the face of a real-face video and prints per window the class and probabilities', async () => {
    const { io, run } = predict(join(FIXTURES, 'face-pan.mp4'));
    const r = await run;
    expect(r.tracks).toHaveLength(1);
    const [t] = r.tracks!;
    expect(t.firstFrame).toBe(0);
    expect(t.lastFrame).toBe(74);
    // Crops every 4th frame (19), windows of 4 crops starting every 2 crops.
    expect(t.windows.map((w) => w.frames[0])).toEqual([0, 8, 16, 24, 32, 40, 48, 56]);
    expect(t.windows[1].frames).toEqual([8, 12, 16, 20]);
    for (const w of t.windows) expect(Object.values(w.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/face-pan\.mp4: 75 frames \(3\.00 s at 25 fps, 640x480\); 1 face track/);
    expect(text).toMatch(/face 1: frames 0-74/);
    expect(text).toMatch(/^ {2}7 {7}2\.24-2\.88 +\S+ +\d+\.\d%/m);
    expect(text).toMatch(/overall \(mean of 8 windows\): /);
    expect(r.predicted).toBe(t.predicted);
  }, 120_000);

  it('--json gives the timeline: the box in every frame, and the windows', async () => {
    const { io, run } = predict(join(FIXTURES, 'face-pan.mp4'), { json: true, hop: 4 });
    await run;
    const j = JSON.parse(io.stdout[0]);
    expect(j).toMatchObject({
      frames: 75,
      fps: 25,
      width: 640,
      height: 480,
      windowFrames: 4,
      frameStride: 4,
      hop: 4,
      detector: 'short',
      face: 'largest',
    });
    const [t] = j.tracks;
    expect(t.boxes).toHaveLength(75);
    expect(t.boxes[40]).toMatchObject({ frame: 40, time: 1.6, detected: true });
    // The pan moves the face left and up; the box follows.
    expect(t.boxes[74].x).toBeLessThan(t.boxes[0].x - 80);
    expect(t.windows.map((w: { startFrame: number }) => w.startFrame)).toEqual([0, 16, 32, 48]);
    expect(Object.keys(t.windows[0].probabilities)).toEqual(j.classes);
  }, 120_000);

  it('--face all gives both people of a two-person video, largest first by default', async () => {
    const all = predict(join(FIXTURES, 'two-faces.mp4'), { face: 'all' });
    const r = await all.run;
    expect(r.tracks!.map((t) => t.id).sort()).toEqual([1, 2]);
    const one = predict(join(FIXTURES, 'two-faces.mp4'));
    const largest = await one.run;
    expect(largest.tracks).toHaveLength(1);
    expect(one.io.stdout.join('\n')).toMatch(/2 face tracks, showing the largest/);
  }, 180_000);

  it('a video without a face: `no face found`, exit code 3, and no class', async () => {
    const { io, run } = predict(join(FIXTURES, 'no-face.mp4'), { json: true });
    await expect(run).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^no face found in .*no-face\.mp4/) });
    const j = JSON.parse(io.stdout[0]);
    expect(j).toMatchObject({ error: 'no face found', tracks: [] });
    expect(j.predicted).toBeUndefined();

    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main(['predict', join(FIXTURES, 'no-face.mp4'), '--checkpoint', runDir, '--backend', 'wasm']);
      expect(code).toBe(3);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/adatosk: no face found/);
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  }, 120_000);

  it('--no-detect uses the whole frame of a frame folder, letterboxed; --synthetic still works', async () => {
    const dir = join(out, 'frames');
    await mkdir(dir);
    for (let i = 1; i <= 6; i++) await sharp(join(FIXTURES, 'two-faces.jpg')).toFile(join(dir, `${i}.jpg`));
    const { io, run } = predict(dir, { detect: false, fps: 10 });
    const r = await run;
    expect(r.tracks).toHaveLength(1);
    expect(r.tracks![0].windows).toHaveLength(1); // 6 frames: 2 crops, one padded window
    expect(io.stdout.join('\n')).toMatch(/no face detection \(whole frame\)/);
    const syn = captureIo();
    const s = await runPredict({ checkpoint: runDir, synthetic: 0, backend: 'wasm', io: syn });
    expect(s.tracks).toBeUndefined();
    expect(syn.stdout[0]).toMatch(/: \S+ \(\d+\.\d%\)/);
  }, 120_000);
});
