// Browser device choice, driven by fake feature environments in Node (the real browser run is in browser.test.ts).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { detectWebDevices, selectWebDevice, type ConcreteWebDevice, type WebEnvironment } from '@adatosk/backend-web';

const canvasWith = (kinds: string[]) =>
  class {
    getContext(k: string) {
      return kinds.includes(k) ? {} : null;
    }
  };

/** Every backend is "imported" by registering a CPU backend under its name. */
const fakeImport = (loaded: ConcreteWebDevice[]) => async (device: ConcreteWebDevice) => {
  loaded.push(device);
  if (tf.findBackendFactory(device) === null) tf.registerBackend(device, () => new MathBackendCPU(), 0);
  return {};
};

describe('detectWebDevices', () => {
  it('reports each feature with a reason', async () => {
    const env: WebEnvironment = {
      navigator: { gpu: { requestAdapter: async () => null } },
      OffscreenCanvas: canvasWith(['webgl']),
      WebAssembly: {},
    };
    expect(await detectWebDevices(env)).toEqual([
      { device: 'webgpu', available: false, reason: 'navigator.gpu.requestAdapter() returned null (no usable GPU)' },
      { device: 'webgl', available: true, reason: 'WebGL 1 context created' },
      { device: 'wasm', available: true, reason: 'WebAssembly available' },
      { device: 'cpu', available: true, reason: 'pure JavaScript, always available (slowest)' },
    ]);
    const bare = await detectWebDevices({});
    expect(bare.slice(0, 3).map((d) => d.available)).toEqual([false, false, false]);
    expect(bare[0].reason).toMatch(/navigator\.gpu is missing/);
  });
});

describe('selectWebDevice', () => {
  it('auto: WebGPU when an adapter is found', async () => {
    const loaded: ConcreteWebDevice[] = [];
    const env: WebEnvironment = {
      navigator: { gpu: { requestAdapter: async () => ({}) } },
      OffscreenCanvas: canvasWith(['webgl2']),
      WebAssembly: {},
    };
    const picked = await selectWebDevice('auto', { env, importBackend: fakeImport(loaded), fastMatMul: false });
    expect(picked).toMatchObject({ device: 'webgpu', backend: 'webgpu', reason: 'auto: WebGPU adapter found' });
    expect(loaded).toEqual(['webgpu']);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('auto: falls back to WebGL without an adapter, then to WASM without WebGL', async () => {
    const loaded: ConcreteWebDevice[] = [];
    const noAdapter: WebEnvironment = {
      navigator: { gpu: { requestAdapter: async () => null } },
      OffscreenCanvas: canvasWith(['webgl2']),
      WebAssembly: {},
    };
    expect((await selectWebDevice('auto', { env: noAdapter, importBackend: fakeImport(loaded), fastMatMul: false })).device).toBe('webgl');
    const noGL: WebEnvironment = { OffscreenCanvas: canvasWith([]), WebAssembly: {} };
    const picked = await selectWebDevice('auto', { env: noGL, importBackend: fakeImport(loaded), fastMatMul: false });
    expect(picked.device).toBe('wasm');
    expect(picked.tried.map((t) => [t.device, t.available])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
    ]);
    expect(tf.getGradient('BatchMatMul')).toBeDefined();
  });

  it('auto: a backend that fails to start is skipped with its reason', async () => {
    const env: WebEnvironment = { navigator: { gpu: { requestAdapter: async () => ({}) } }, WebAssembly: {} };
    const importBackend = async (d: ConcreteWebDevice) => {
      if (d === 'webgpu') throw new Error('shader compiler crashed');
      return fakeImport([])(d);
    };
    const picked = await selectWebDevice('auto', { env, importBackend, fastMatMul: false });
    expect(picked.device).toBe('wasm');
    expect(picked.tried[0]).toEqual({ device: 'webgpu', available: false, reason: 'WebGPU adapter found; shader compiler crashed' });
  });

  it('a named device that cannot run throws the reason; unknown names are rejected', async () => {
    await expect(selectWebDevice('webgpu', { env: {} })).rejects.toThrow(
      "Device 'webgpu' is not available here: webgpu: navigator.gpu is missing",
    );
    await expect(selectWebDevice('metal' as never)).rejects.toThrow("unknown device 'metal'. Use one of: auto, webgpu, webgl, wasm, cpu");
  });
});
