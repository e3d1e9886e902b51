// What the CLI says about backends and what it keeps quiet: a software WebGPU adapter is not listed as plain
// "available" and gets a warning when asked for; TF.js's "install tfjs-node" banner and colour codes in pipes are gone.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as BackendNode from '@adatosk/backend-node';
import { captureIo, forStream, wantsColor } from '../src/io.js';
import { runInfo } from '../src/commands/info.js';
import { useBackend } from '../src/runtime/backend.js';
import { main } from '../src/main.js';

// This machine's WebGPU adapter, as Dawn reports SwiftShader (the real one needs Chromium's Vulkan driver).
const SOFTWARE = {
  device: 'webgpu',
  backend: 'webgpu',
  available: true,
  software: true,
  reason: 'adapter: google swiftshader (software)',
} as const;

vi.mock('@adatosk/backend-node', async (importOriginal) => {
  const real = await importOriginal<typeof BackendNode>();
  return {
    ...real,
    listDevices: async () => [SOFTWARE, { device: 'wasm', backend: 'wasm', available: true, reason: 'tfjs-backend-wasm binaries' }],
    // Runs on the CPU backend but reports what selectDevice says for a software WebGPU adapter.
    selectDevice: async (device: string) => {
      await real.selectDevice('cpu');
      if (device === 'webgpu') return { device: 'webgpu', backend: 'webgpu', reason: SOFTWARE.reason, tried: [SOFTWARE] };
      return { device: 'cpu', backend: 'cpu', reason: 'pure JavaScript', tried: [{ ...SOFTWARE, available: false }] };
    },
  };
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a software WebGPU adapter', () => {
  it('info does not call it plainly available, and says why auto skips it', async () => {
    const io = captureIo();
    const r = await runInfo({ io });
    expect(r.backends.find((b) => b.name === 'webgpu')).toMatchObject({ available: true, software: true });
    const line = io.stdout.find((l) => l.trim().startsWith('webgpu'))!;
    expect(line).not.toMatch(/\bavailable \(/);
    expect(line).toMatch(/only a software adapter .* far slower than WASM, so auto skips it; --backend webgpu forces it/);
  });

  it('--backend webgpu works, with a warning', async () => {
    const io = captureIo();
    await useBackend('webgpu', io);
    expect(io.stderr.join('\n')).toMatch(/^warning: --backend webgpu runs on a software adapter .*use --backend wasm \(or auto\)/);
    const quiet = captureIo();
    await useBackend('auto', quiet);
    expect(quiet.stderr).toEqual([]);
  });
});

describe('noise', () => {
  it("TF.js's banner about installing tfjs-node does not show on the CPU backend", async () => {
    const warn = vi.spyOn(console, 'warn');
    await useBackend('cpu', captureIo());
    tf.tidy(() => tf.add(tf.scalar(1), 1));
    expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /tfjs-node/.test(m))).toEqual([]);
  });

  it('help has no colour codes when stdout is not a terminal, or with NO_COLOR', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    expect(await main(['--help'])).toBe(0);
    expect(await main(['train', '--help'])).toBe(0);
    vi.restoreAllMocks();
    expect(written.join('')).toMatch(/USAGE/);
    expect(written.join('').includes('\u001b[')).toBe(false);
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: 'yes' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(forStream('\x1b[1mUSAGE\x1b[22m', { isTTY: false }, {})).toBe('USAGE');
  });
});
