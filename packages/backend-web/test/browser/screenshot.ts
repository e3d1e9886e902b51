// Manual check of the built demo: node packages/backend-node/scripts/run-ts.mjs packages/backend-web/test/browser/screenshot.ts <demo-dist> <out.png>
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@adatosk/masks';
import { createAdaTosk, resolveConfig } from '@adatosk/core';
import { launchChromium } from './chromium.js';
import { serveStatic } from './server.js';

const [site, out] = process.argv.slice(2);
await tf.setBackend('cpu');
const saved = await createAdaTosk(resolveConfig('tiny', { numLayers: 2 }), { initSeed: 11 }).toSafetensors();
mkdirSync('/tmp/adatosk-shot-ckpt', { recursive: true });
writeFileSync('/tmp/adatosk-shot-ckpt/config.json', saved.configJson);
writeFileSync('/tmp/adatosk-shot-ckpt/model.safetensors', saved.safetensors);
const server = await serveStatic({ '/ckpt/': '/tmp/adatosk-shot-ckpt', '/': site });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
await page.goto(`${server.url}/index.html?device=webgpu&checkpoint=/ckpt/&synthetic=0:3`);
await page.waitForFunction('window.__adatosk && (window.__adatosk.done || window.__adatosk.error)', undefined, { timeout: 120_000 });
console.log(await page.evaluate('document.getElementById("status").textContent'));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
await server.close();
