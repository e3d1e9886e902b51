// Real browser runs in headless Debian Chromium (WebGPU on SwiftShader): the core HF parity checks, and the
// demo page end to end (checkpoint over HTTP, synthetic clip, AdaTosk probabilities and soft mask equal Node's).
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
import { framesToClip } from '@adatosk/backend-web';
import { launchChromium } from './browser/chromium.js';
import { buildPages } from './browser/build.js';
import { serveStatic, type StaticServer } from './browser/server.js';

let work: string;
let server: StaticServer;
let browser: Browser;
let nodeProbs: Float32Array;
let nodeMask: Float32Array;
const LABEL = 3;
const SEED = 7;
const config = resolveConfig('tiny', { numLayers: 2 });

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing Chromium fails fast with the apt-get hint
  work = await mkdtemp(join(tmpdir(), 'adatosk-web-'));
  await buildPages(join(work, 'site'));
  // A checkpoint made with the core API, and Node's AdaTosk probabilities and soft mask for the synthetic
  // clip the page will run (the page wraps the checkpoint in AdaTosk with the same default options).
  await tf.setBackend('cpu');
  const model = createAdaTosk(config, { initSeed: 11 });
  const saved = model.toSafetensors();
  await mkdir(join(work, 'ckpt'));
  await writeFile(join(work, 'ckpt', 'config.json'), saved.configJson);
  await writeFile(join(work, 'ckpt', 'model.safetensors'), saved.safetensors);
  const clip = renderSyntheticClip(SEED, LABEL, { numFrames: config.numFrames, size: config.imageSize });
  const clips = framesToClip(clip.frames.map((data) => ({ data, width: clip.size, height: clip.size })), { size: config.imageSize });
  const probs = tf.tidy(() => model.predict(clips).probs);
  nodeProbs = (await probs.data()) as Float32Array;
  const report = await model.softMasks(clips);
  nodeMask = new Float32Array(report.grid.frames * report.grid.height * report.grid.width);
  report.visible[0].forEach((token, j) => (nodeMask[token] = report.final[0][j]));
  tf.dispose([clips, probs]);
  model.dispose();
  server = await serveStatic({ '/ckpt/': join(work, 'ckpt'), '/fixtures/': await findFixturesDir(), '/': join(work, 'site') });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function open(path: string, key: '__parity' | '__adatosk', ready: string): Promise<{ page: Page; state: Record<string, unknown> }> {
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}${path}`);
  try {
    await page.waitForFunction(ready, undefined, { timeout: 90_000 });
  } catch (err) {
    throw new Error(`${path} did not finish: ${(err as Error).message}\n${logs.join('\n')}`);
  }
  const state = (await page.evaluate(`window.${key}`)) as Record<string, unknown>;
  return { page, state };
}

const failures = (rs: ParityResult[]) => rs.filter((r) => !r.ok).map((r) => `${r.variant} ${r.name}: ${r.detail}`);

describe('Chromium + WebGPU (SwiftShader)', () => {
  it('passes the core HF parity checks on WebGPU with the fused ops (default tolerance, 1e-4)', async () => {
    const { page, state } = await open('/test/browser/parity.html?device=webgpu&fixtures=/fixtures/&abs=1e-4', '__parity', 'window.__parity && (window.__parity.results || window.__parity.error)');
    expect(state.error).toBeUndefined();
    expect(state.device).toBe('webgpu');
    // @adatosk/webgpu's kernels are installed by selectWebDevice and run the checks.
    expect(Object.values(state.fused as Record<string, boolean>)).toEqual([true, true, true, true]);
    const results = state.results as ParityResult[];
    expect(results.length).toBeGreaterThan(20);
    expect(new Set(results.map((r) => r.group)).size).toBe(8);
    // WebGPU results read with dataSync() come back as zeros in headless Chromium: the checks must read with
    // `await data()` (docs/backends.md, "Read asynchronously").
    expect(failures(results), 'parity checks that fail on WebGPU').toEqual([]);
    await page.close();
  });

  it('the demo loads a checkpoint over HTTP and matches Node on a synthetic clip (WebGPU)', async () => {
    const { page, state } = await open(`/demo/index.html?device=webgpu&checkpoint=/ckpt/&synthetic=${LABEL}:${SEED}`, '__adatosk', 'window.__adatosk && (window.__adatosk.done || window.__adatosk.error)');
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
    const { page, state } = await open(`/demo/index.html?device=wasm&checkpoint=/ckpt/&synthetic=${LABEL}:${SEED}`, '__adatosk', 'window.__adatosk && (window.__adatosk.done || window.__adatosk.error)');
    expect(state.error).toBeUndefined();
    expect(state.device).toBe('wasm');
    const probs = Object.values((state.results as { probs: Record<string, number> }[])[0].probs);
    expect(Math.max(...probs.map((p, i) => Math.abs(p - nodeProbs[i])))).toBeLessThan(1e-4);
    await page.close();
  });
});
