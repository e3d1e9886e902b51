// Browser side of the parity test: the core HF parity checks on the backend named by ?device=.
import { runParityChecks, loadFixturesFromUrl, type ParityResult } from '@adatosk/core/testing';
import { selectWebDevice, type WebDevice } from '../../src/index.js';

interface ParityPage { device?: string; reason?: string; results?: ParityResult[]; error?: string }
const page: ParityPage = {};
(window as unknown as { __parity: ParityPage }).__parity = page;
const params = new URLSearchParams(location.search);

try {
  const picked = await selectWebDevice((params.get('device') ?? 'webgpu') as WebDevice);
  page.device = picked.device;
  page.reason = picked.reason;
  const fx = await loadFixturesFromUrl(new URL(params.get('fixtures') ?? '/fixtures/', location.href).href);
  const abs = Number(params.get('abs') ?? 1e-4);
  page.results = await runParityChecks(fx, { tolerance: { abs, rel: Number(params.get('rel') ?? 1e-3) } });
} catch (err) {
  page.error = `${(err as Error).message}\n${(err as Error).stack ?? ''}`;
}
document.getElementById('out')!.textContent = page.error ?? 'done';
