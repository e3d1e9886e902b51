// Manual check of the demo's face stage (not a test): builds the pages once into /tmp/adatosk-faces-site,
// serves them with a checkpoint and the face fixtures, and prints the face box over time; with video
// 'bench', prints the face stage's speed (faces-bench.html) on that device for both detectors instead.
// Run from the repository root: ADATOSK_WEB_DIR=$PWD/packages/backend-web node packages/backend-node/scripts/run-ts.mjs packages/backend-web/test/browser/debug-faces.ts [device] [video] [step]
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@adatosk/masks';
import { createAdaTosk, resolveConfig } from '@adatosk/core';
import { launchChromium } from './chromium.js';
import { buildPages } from './build.js';
import { serveStatic } from './server.js';

const [device = 'wasm', video = 'face-pan.mp4', step = '12'] = process.argv.slice(2);
const site = '/tmp/adatosk-faces-site';
if (!existsSync(join(site, 'site'))) await buildPages(join(site, 'site'));
await mkdir(join(site, 'ckpt'), { recursive: true });
await tf.setBackend('cpu');
const saved = await createAdaTosk(resolveConfig('tiny', { numLayers: 2 }), { initSeed: 11 }).toSafetensors();
await writeFile(join(site, 'ckpt', 'config.json'), saved.configJson);
await writeFile(join(site, 'ckpt', 'model.safetensors'), saved.safetensors);
const server = await serveStatic({
  '/ckpt/': join(site, 'ckpt'),
  '/faces/': join(process.cwd(), 'packages/faces/test/fixtures'),
  '/': join(site, 'site'),
});
const browser = await launchChromium();
if (video === 'bench') {
  for (const model of ['short', 'back']) {
    const p = await browser.newPage();
    await p.goto(`${server.url}/test/browser/faces-bench.html?device=${device}&model=${model}&n=${step}`);
    await p.waitForFunction('window.__faces && (window.__faces.frames || window.__faces.error)', undefined, { timeout: 900_000 });
    console.log(JSON.stringify(await p.evaluate('window.__faces')));
    await p.close();
  }
  await browser.close();
  await server.close();
  process.exit(0);
}
const page = await browser.newPage();
page.on('console', (m) => console.log(`page ${m.type()}: ${m.text()}`));
await page.goto(`${server.url}/demo/index.html?device=${device}&checkpoint=/ckpt/&video=/faces/${video}&step=${step}`);
for (let i = 0; i < 600; i++) {
  const s = (await page.evaluate(
    'JSON.stringify({ faces: window.__adatosk.faces, results: window.__adatosk.results.length, done: window.__adatosk.done, error: window.__adatosk.error, t: document.getElementById("video").currentTime })',
  )) as string;
  console.log(s);
  if (/"done":true|"error"/.test(s)) break;
  await new Promise((r) => setTimeout(r, 2000));
}
await page.screenshot({ path: '/tmp/adatosk-faces-demo.png', fullPage: true });
await browser.close();
await server.close();
