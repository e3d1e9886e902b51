// Browser side of the parity test: the core HF parity checks on the backend named by ?device=.
import { runParityChecks, loadFixturesFromUrl, type ParityResult } from '@adatosk/core/testing';
import { usesFusedKernel } from '@adatosk/core';
import {
  ADD_LAYER_NORM_KERNEL,
  ATTENTION_KERNEL,
  BIAS_GELU_KERNEL,
  LAYER_NORM_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
} from '@adatosk/core/internal';
import { selectWebDevice, type WebDevice } from '../../src/index.js';

interface ParityPage {
  device?: string;
  reason?: string;
  fused?: Record<string, boolean>;
  results?: ParityResult[];
  error?: string;
}
const page: ParityPage = {};
(window as unknown as { __parity: ParityPage }).__parity = page;
const params = new URLSearchParams(location.search);

try {
  const picked = await selectWebDevice((params.get('device') ?? 'webgpu') as WebDevice);
  page.device = picked.device;
  page.reason = picked.reason;
  // Which of @adatosk/webgpu's fused kernels the checks run (selectWebDevice installs them on WebGPU).
  page.fused = Object.fromEntries(
    [ATTENTION_KERNEL, LAYER_NORM_KERNEL, ADD_LAYER_NORM_KERNEL, BIAS_GELU_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL].map((k) => [
      k,
      usesFusedKernel(k),
    ]),
  );
  const fx = await loadFixturesFromUrl(new URL(params.get('fixtures') ?? '/fixtures/', location.href).href);
  const abs = Number(params.get('abs') ?? 1e-4);
  page.results = await runParityChecks(fx, { tolerance: { abs, rel: Number(params.get('rel') ?? 1e-3) } });
} catch (err) {
  page.error = `${(err as Error).message}\n${(err as Error).stack ?? ''}`;
}
document.getElementById('out')!.textContent = page.error ?? 'done';
