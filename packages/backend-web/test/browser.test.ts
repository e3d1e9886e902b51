// Real browser runs in headless Debian Chromium (WebGPU on SwiftShader): the core HF parity checks, and the
// demo page end to end (checkpoint over HTTP, synthetic clip, AdaTosk probabilities and soft mask equal Node's; a
// video file; no checkpoint). Without Chromium the suite skips with one line saying what to install (a failure
// under ADATOSK_REQUIRE_SYSTEM=1, which CI sets).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Browser, Page } from 'playwright-core';
import '@adatosk/masks';
import { createAdaTosk, resolveConfig } from '@adatosk/core';
import { findFixturesDir, type ParityResult } from '@adatosk/core/testing';
import { renderSyntheticClip } from '@adatosk/datasets/synthetic';
import { resolveFfmpeg } from '@adatosk/datasets';
import { framesToClip } from '@adatosk/backend-web';
import { launchChromium } from './browser/chromium.js';
import { buildPages } from './browser/build.js';
import { serveStatic, type StaticServer } from './browser/server.js';
import { describeWithSystem } from '../../../tests/support/system.js';
import { fileURLToPath } from 'node:url';

const FACE_VIDEOS = fileURLToPath(new URL('../../faces/test/fixtures/', import.meta.url));

interface FaceStats {
  frames: number;
  withFace: number;
  fps: number;
  crops: number;
  tracks: number[];
  box?: { x: number; y: number; width: number; height: number };
}

let work: string;
let server: StaticServer;
let browser: Browser;
let nodeProbs: Float32Array;
let nodeMask: Float32Array;
const LABEL = 3;
const SEED = 7;
const config = resolveConfig('tiny', { numLayers: 2 });

/** A short VP8 webm of synthetic face frames (what a user opens with the demo's file input). */
async function writeWebm(file: string, frames: Uint8Array[], size: number, fps: number): Promise<void> {
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${size}x${size}`,
    '-r',
    String(fps),
    '-i',
    'pipe:0',
    '-c:v',
    'libvpx',
    '-b:v',
    '1M',
    '-pix_fmt',
    'yuv420p',
    file,
  ];
  const ffmpeg = spawn(await resolveFfmpeg(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (c: Buffer) => (stderr += c));
  const done = new Promise<void>((resolve, reject) => {
    ffmpeg.on('error', reject);
    ffmpeg.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not write ${file}: ${stderr}`))));
  });
  for (const f of frames) ffmpeg.stdin.write(f);
  ffmpeg.stdin.end();
  await done;
}

describeWithSystem('chromium', 'Chromium + WebGPU (SwiftShader)', () => {
  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails fast with the apt-get hint
    work = await mkdtemp(join(tmpdir(), 'adatosk-web-'));
    await buildPages(join(work, 'site'));
    // A checkpoint made with the core API, and Node's AdaTosk probabilities and soft mask for the synthetic
    // clip the page will run (the page wraps the checkpoint in AdaTosk with the same default options).
    await tf.setBackend('cpu');
    const model = createAdaTosk(config, { initSeed: 11 });
    const saved = await model.toSafetensors();
    await mkdir(join(work, 'ckpt'));
    await writeFile(join(work, 'ckpt', 'config.json'), saved.configJson);
    await writeFile(join(work, 'ckpt', 'model.safetensors'), saved.safetensors);
    const clip = renderSyntheticClip(SEED, LABEL, { numFrames: config.numFrames, size: config.imageSize });
    const clips = framesToClip(
      clip.frames.map((data) => ({ data, width: clip.size, height: clip.size })),
      { size: config.imageSize },
    );
    const probs = tf.tidy(() => model.predict(clips).probs);
    nodeProbs = (await probs.data()) as Float32Array;
    const report = await model.softMasks(clips);
    nodeMask = new Float32Array(report.grid.frames * report.grid.height * report.grid.width);
    report.visible[0].forEach((token, j) => (nodeMask[token] = report.final[0][j]));
    tf.dispose([clips, probs]);
    model.dispose();
    // 3 s at 8 fps: room for a few sliding windows of the model's 8 frames.
    const long = renderSyntheticClip(SEED, LABEL, { numFrames: 24, size: 64 });
    await mkdir(join(work, 'media'));
    await writeWebm(join(work, 'media', 'clip.webm'), long.frames, 64, 8);
    server = await serveStatic({
      '/ckpt/': join(work, 'ckpt'),
      '/fixtures/': await findFixturesDir(),
      '/faces/': FACE_VIDEOS,
      '/': join(work, 'site'),
    });
  }, 600_000); // a Vite build of three pages: minutes on a loaded 2-core machine

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function open(
    path: string,
    key: '__parity' | '__adatosk',
    ready: string,
    timeout = 90_000,
  ): Promise<{ page: Page; state: Record<string, unknown> }> {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}${path}`);
    try {
      await page.waitForFunction(ready, undefined, { timeout });
    } catch (err) {
      const at = await page
        .evaluate(`JSON.stringify({ ...window.${key}, results: window.${key}?.results?.length })`)
        .catch(() => 'unreadable');
      throw new Error(`${path} did not finish: ${(err as Error).message}\nstate: ${String(at).slice(0, 2000)}\n${logs.join('\n')}`);
    }
    const state = (await page.evaluate(`window.${key}`)) as Record<string, unknown>;
    return { page, state };
  }

  const failures = (rs: ParityResult[]) => rs.filter((r) => !r.ok).map((r) => `${r.variant} ${r.name}: ${r.detail}`);

  it('passes the core HF parity checks on WebGPU with the fused ops (default tolerance, 1e-4)', async () => {
    const { page, state } = await open(
      '/test/browser/parity.html?device=webgpu&fixtures=/fixtures/&abs=1e-4',
      '__parity',
      'window.__parity && (window.__parity.results || window.__parity.error)',
    );
    expect(state.error).toBeUndefined();
    expect(state.device).toBe('webgpu');
    // @adatosk/webgpu's kernels are installed by selectWebDevice and run the checks.
    expect(Object.values(state.fused as Record<string, boolean>)).toEqual([true, true, true, true, true]);
    const results = state.results as ParityResult[];
    expect(results.length).toBeGreaterThan(20);
    expect(new Set(results.map((r) => r.group)).size).toBe(8);
    // WebGPU results read with dataSync() come back as zeros in headless Chromium: the checks must read with
    // `await data()` (docs/backends.md, "Read asynchronously").
    expect(failures(results), 'parity checks that fail on WebGPU').toEqual([]);
    await page.close();
  });

  it('the demo loads a checkpoint over HTTP and matches Node on a synthetic clip (WebGPU)', async () => {
    const { page, state } = await open(
      `/demo/index.html?device=webgpu&checkpoint=/ckpt/&synthetic=${LABEL}:${SEED}`,
      '__adatosk',
      'window.__adatosk && (window.__adatosk.done || window.__adatosk.error)',
    );
    expect(state.error).toBeUndefined();
    expect(state.device).toBe('webgpu');
    const results = state.results as { probs: Record<string, number>; start: number; end: number; softMask: Record<string, number> }[];
    expect(results).toHaveLength(1);
    const mask = Object.values(results[0].softMask);
    expect(mask).toHaveLength(nodeMask.length);
    expect(Math.max(...mask.map((m, i) => Math.abs(m - nodeMask[i])))).toBeLessThan(1e-3);
    expect([results[0].start, results[0].end]).toEqual([0, config.numFrames]);
    const browserProbs = Object.values(results[0].probs);
    expect(browserProbs).toHaveLength(config.numClasses);
    const diff = Math.max(...browserProbs.map((p, i) => Math.abs(p - nodeProbs[i])));
    expect(diff).toBeLessThan(1e-3);
    // The page shows the same numbers.
    const shown = await page.$$eval('#probs tbody tr td:last-child', (tds) => tds.map((td) => Number(td.textContent)));
    expect(shown).toHaveLength(config.numClasses);
    expect(shown.every((p, i) => Math.abs(p - nodeProbs[i]) < 1e-3)).toBe(true); // shown with 4 decimals
    await page.close();
  });

  it('the demo runs on WASM too (wasm binaries served by the build)', async () => {
    const { page, state } = await open(
      `/demo/index.html?device=wasm&checkpoint=/ckpt/&synthetic=${LABEL}:${SEED}`,
      '__adatosk',
      'window.__adatosk && (window.__adatosk.done || window.__adatosk.error)',
    );
    expect(state.error).toBeUndefined();
    expect(state.device).toBe('wasm');
    const probs = Object.values((state.results as { probs: Record<string, number> }[])[0].probs);
    expect(Math.max(...probs.map((p, i) => Math.abs(p - nodeProbs[i])))).toBeLessThan(1e-4);
    await page.close();
  });

  it('the demo recognises a video file once its frames can be decoded (no "image source is not usable")', async () => {
    const { page } = await open(
      '/demo/index.html?device=wasm&checkpoint=/ckpt/',
      '__adatosk',
      'window.__adatosk && (window.__adatosk.model || window.__adatosk.error)',
    );
    await page.setInputFiles('#file', join(work, 'media', 'clip.webm'));
    await page.waitForFunction('window.__adatosk.done || window.__adatosk.error', undefined, { timeout: 90_000 });
    const state = (await page.evaluate('window.__adatosk')) as { error?: string; results: { probs: Record<string, number> }[] };
    expect(state.error).toBeUndefined();
    expect(state.results.length).toBeGreaterThanOrEqual(2);
    for (const r of state.results) expect(Object.values(r.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await page.close();
  });

  it('without a checkpoint the demo says what to do next instead of showing empty canvases', async () => {
    const { page, state } = await open(
      '/demo/index.html?device=wasm',
      '__adatosk',
      'window.__adatosk && (window.__adatosk.device || window.__adatosk.error)',
    );
    expect(state.error).toBeUndefined();
    const status = await page.$eval('#status', (el) => el.textContent ?? '');
    expect(status).toMatch(/No model loaded/);
    expect(status).toMatch(/npx adatosk train/);
    expect(status).toMatch(/\?checkpoint=/);
    expect(await page.$eval('main', (el) => (el as HTMLElement).hidden)).toBe(true);
    await page.close();
  });

  describe('the demo on real face videos (WebGPU on SwiftShader)', () => {
    const done = 'window.__adatosk && (window.__adatosk.done || window.__adatosk.error)';

    it('finds and follows the face of a real-face video on the page backend and recognises the face crops', async () => {
      // The file is stepped through at 12 frames a second of video (36 steps): every step is processed, however
      // slow software WebGPU is.
      const { page, state } = await open(
        '/demo/index.html?device=webgpu&checkpoint=/ckpt/&video=/faces/face-pan.mp4&step=12',
        '__adatosk',
        done,
        600_000,
      );
      const faces = state.faces as FaceStats;
      console.log(`${JSON.stringify(faces)} ${state.error ?? ''}`);
      expect(state.error).toBeUndefined();
      expect(state.device).toBe('webgpu');
      console.log(
        `demo face stage on SwiftShader WebGPU: ${faces.frames} frames, face in ${faces.withFace}, ${faces.fps} detections/s at the end, ${faces.crops} crops`,
      );
      expect(faces.frames).toBe(36);
      expect(faces.withFace).toBeGreaterThanOrEqual(34); // all but the frame(s) before the track is confirmed
      expect(faces.crops).toBe(24); // 8 a second of video
      expect(faces.tracks).toEqual([1]);
      // The camera pans right and down: the face moves from (261, 112) to about (136, 15) at the last step.
      expect(faces.box!.x).toBeGreaterThan(110);
      expect(faces.box!.x).toBeLessThan(170);
      expect(faces.box!.y).toBeLessThan(50);
      expect(faces.box!.width).toBeGreaterThan(120);
      const results = state.results as { probs: Record<string, number> }[];
      expect(results.length).toBeGreaterThanOrEqual(1);
      for (const r of results) expect(Object.values(r.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(await page.$eval('#face-status', (e) => e.textContent)).toMatch(/^Face 1: found in \d+ of \d+ frames/);
      // The live canvas shows the video (640x480) with the box drawn on it.
      expect(await page.$eval('#live', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual([640, 480]);
      await page.close();
    }, 900_000);

    it('says that a video without a face has none, and recognises nothing', async () => {
      const { page, state } = await open(
        '/demo/index.html?device=webgpu&checkpoint=/ckpt/&video=/faces/no-face.mp4&step=6',
        '__adatosk',
        done,
        300_000,
      );
      console.log(`demo face stage, no-face video: ${JSON.stringify(state.faces)}`);
      expect(state.error).toMatch(/No face found in the video/);
      expect(state.results).toEqual([]);
      const faces = state.faces as FaceStats;
      expect(faces.frames).toBe(12);
      expect(faces.withFace).toBe(0);
      expect(faces.crops).toBe(0);
      await page.close();
    }, 600_000);
  });
});
