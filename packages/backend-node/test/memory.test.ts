// The device memory backend-node reports to core when it selects a device (for recomputeBlocks 'auto').
import { afterEach, expect, it } from 'vitest';
import type { execFile } from 'node:child_process';
import os from 'node:os';
import { memoryBudget } from '@adatosk/core';
import { setDeviceMemory } from '@adatosk/core/internal';
import { nvidiaMemoryBytes, reportDeviceMemory } from '../src/devices/memory.js';

afterEach(() => setDeviceMemory(undefined));

const fakeSmi = (stdout: string | Error) =>
  ((_: string, __: string[], ___: object, cb: (err: Error | null, out: string) => void) => {
    if (stdout instanceof Error) cb(stdout, '');
    else cb(null, stdout);
  }) as unknown as typeof execFile;

it('reads the smallest GPU from nvidia-smi, and nothing without it', async () => {
  expect(await nvidiaMemoryBytes(fakeSmi('143771\n81559\n'))).toBe(81559 * 2 ** 20);
  expect(await nvidiaMemoryBytes(fakeSmi(new Error('spawn nvidia-smi ENOENT')))).toBeUndefined();
  expect(await nvidiaMemoryBytes(fakeSmi('No devices were found\n'))).toBeUndefined();
});

it('reports host memory for cpu and software WebGPU, the heap for wasm', async () => {
  await reportDeviceMemory('cpu');
  expect(memoryBudget()).toEqual({ bytes: os.totalmem(), source: 'device: host memory' });
  await reportDeviceMemory('wasm');
  expect(memoryBudget().bytes).toBe(Math.min(4 * 2 ** 30, os.totalmem()));
  await reportDeviceMemory('webgpu', { vendor: 'google', software: true });
  expect(memoryBudget()).toEqual({ bytes: os.totalmem(), source: 'device: host memory (software adapter)' });
});
