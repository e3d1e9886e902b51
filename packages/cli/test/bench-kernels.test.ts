// `adatosk bench --kernels` argument handling (the benchmark itself is tested in @adatosk/webgpu).
import { expect, it } from 'vitest';
import { renderUsage } from 'citty';
import bench from '../src/commands/bench.js';
import { runKernelBench } from '../src/bench/kernels.js';
import { captureIo } from '../src/io.js';

it('--kernels needs the webgpu backend and says so', async () => {
  await expect(runKernelBench({ backend: 'wasm', io: captureIo() })).rejects.toMatchObject({
    message: expect.stringMatching(/--backend webgpu/),
    exitCode: 2,
  });
});

it('bench --help lists --kernels', async () => {
  expect(await renderUsage(bench)).toMatch(/--kernels/);
});
