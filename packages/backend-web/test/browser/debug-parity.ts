// Manual diagnostics: node packages/backend-node/scripts/run-ts.mjs packages/backend-web/test/browser/debug-parity.ts [device] [skipBuild]
import { existsSync, readFileSync } from 'node:fs';
import { findFixturesDir, type ParityResult } from '@adatosk/core/testing';
import { launchChromium } from './chromium.js';
import { buildPages } from './build.js';
import { serveStatic } from './server.js';

const device = process.argv[2] ?? 'webgpu';
const site = '/tmp/adatosk-debug-site';
// ADATOSK_REPLACE=<source>=<replacement>[,...]: build with modules' text swapped (trying a fix elsewhere).
const pairs = new Map(
  (process.env.ADATOSK_REPLACE ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => p.split('=') as [string, string]),
);
const swap = [
  { name: 'swap', enforce: 'pre' as const, load: (id: string) => (pairs.has(id) ? readFileSync(pairs.get(id)!, 'utf8') : null) },
];
if (!existsSync(site) || process.argv[3] !== 'skip') await buildPages(site, swap);
const server = await serveStatic({ '/fixtures/': await findFixturesDir(), '/': site });
const browser = await launchChromium();
const page = await browser.newPage();
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(`${server.url}/test/browser/parity.html?device=${device}&fixtures=/fixtures/&abs=1e-3`);
await page.waitForFunction('window.__parity && (window.__parity.results || window.__parity.error)', undefined, { timeout: 300_000 });
const state = (await page.evaluate('window.__parity')) as { results?: ParityResult[]; error?: string; reason?: string };
console.log(state.reason, state.error ?? '');
for (const r of state.results ?? [])
  if (r.variant === 'current')
    console.log(r.ok ? 'ok  ' : 'FAIL', r.group, r.name, r.maxAbsErr.toExponential(2), r.maxRef.toExponential(2));
await browser.close();
await server.close();
