// The built demo page loads a run folder written by the built `adatosk train` as is (?checkpoint=/runs/latest/),
// with the AdaTosk options the run was trained with, and gives Node's numbers. Needs Chromium (skips without it).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeWithSystem } from './support/system.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LABEL = 2;
const SEED = 5;

describeWithSystem('chromium', 'the built demo and a run folder from adatosk train', () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  let runs: string;

  beforeAll(async () => {
    const { launchChromium } = await import('../packages/backend-web/test/browser/chromium.js');
    const { serveStatic } = await import('../packages/backend-web/test/browser/server.js');
    const { runTrain, captureIo } = await import('@adatosk/cli');
    runs = join(await mkdtemp(join(tmpdir(), 'adatosk-demo-')), 'runs');
    await runTrain({
      overrides: {
        data: { trainClips: 14, testClips: 7 },
        train: { epochs: 1, batchSize: 7 },
        output: { dir: runs, name: 'r', plots: false },
        backend: 'wasm',
      },
      io: captureIo(),
    });
    browser = await launchChromium();
    server = await serveStatic({ '/runs/': runs, '/': join(root, 'packages/backend-web/demo-dist') });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads runs/latest and matches Node on a synthetic clip, with the run's AdaTosk options", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/index.html?device=wasm&checkpoint=/runs/latest/&synthetic=${LABEL}:${SEED}`);
    await page.waitForFunction('window.__adatosk && (window.__adatosk.done || window.__adatosk.error)', undefined, { timeout: 90_000 });
    const state = (await page.evaluate('window.__adatosk')) as { error?: string; results: { probs: Record<string, number> }[] };
    expect(state.error).toBeUndefined();
    const demo = Object.values(state.results[0]!.probs);
    await page.close();

    // Node: the same folder through backend-node's loader, the same clip through backend-web's preprocessing.
    await import('@adatosk/masks');
    const { loadAdaTosk, selectDevice } = await import('@adatosk/backend-node');
    const { framesToClip } = await import('@adatosk/backend-web');
    const { renderSyntheticClip } = await import('@adatosk/datasets/synthetic');
    const { adaToskFromSafetensors } = await import('@adatosk/core');
    await selectDevice('wasm');
    const model = await loadAdaTosk(join(runs, 'latest'));
    const { numFrames, imageSize } = model.config;
    const clip = renderSyntheticClip(SEED, LABEL, { numFrames, size: imageSize });
    const input = framesToClip(
      clip.frames.map((data) => ({ data, width: clip.size, height: clip.size })),
      { size: imageSize },
    );
    const probsOf = async (m: { predict(x: tf.Tensor5D): { probs: tf.Tensor } }) => {
      const p = tf.tidy(() => m.predict(input).probs);
      const out = Array.from(await p.data());
      p.dispose();
      return out;
    };
    const node = await probsOf(model);
    expect(Math.max(...demo.map((p, i) => Math.abs(p - node[i]!)))).toBeLessThan(1e-4);
    // The options matter: the same weights with AdaTosk's defaults give other numbers.
    const bytes = new Uint8Array(await readFile(join(runs, 'latest', 'model.safetensors')));
    const plain = await adaToskFromSafetensors(null, bytes);
    const defaults = await probsOf(plain);
    expect(Math.max(...demo.map((p, i) => Math.abs(p - defaults[i]!)))).toBeGreaterThan(1e-4);
    tf.dispose(input);
    model.dispose();
    plain.dispose();
  });
});
