// Device selection with fake/absent optional modules (tfjs-node cannot be installed here) and the real
// WASM/CPU backends.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BatchMatMul, getKernel } from '@tensorflow/tfjs-core';
import { isFastMatMulInstalled } from '@adatosk/core/internal';
import { isModuleNotFound, listDevices, selectDevice } from '@adatosk/backend-node';

const notFound = (s: string) =>
  Object.assign(new Error(`Cannot find package '${s}' imported from /x.js`), { code: 'ERR_MODULE_NOT_FOUND' });

/** A loader where only `present` modules exist; a present tfjs-node registers a (CPU-backed) 'tensorflow' backend. */
function loader(present: string[]) {
  const calls: string[] = [];
  const load = async (s: string) => {
    calls.push(s);
    if (!present.includes(s)) throw notFound(s);
    if (s.startsWith('@tensorflow/tfjs-node') && tf.findBackendFactory('tensorflow') === null) {
      tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);
    }
    return {};
  };
  return { load, calls };
}

describe('selectDevice', () => {
  it('auto prefers tfjs-node-gpu, then tfjs-node', async () => {
    const gpu = loader(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    const picked = await selectDevice('auto', { importModule: gpu.load });
    expect(picked).toMatchObject({ device: 'tfjs-node-gpu', backend: 'tensorflow' });
    expect(picked.reason).toMatch(/^auto: '@tensorflow\/tfjs-node-gpu' is installed/);
    expect(tf.getBackend()).toBe('tensorflow');

    const cpuOnly = loader(['@tensorflow/tfjs-node']);
    const second = await selectDevice('auto', { importModule: cpuOnly.load });
    expect(second.device).toBe('tfjs-node');
    expect(second.tried.map((t) => [t.device, t.available])).toEqual([
      ['tfjs-node-gpu', false],
      ['tfjs-node', true],
    ]);
    expect(second.tried[0].reason).toBe("'@tensorflow/tfjs-node-gpu' is not installed");
    tf.removeBackend('tensorflow');
  });

  it('auto falls through absent native modules and WebGPU to WASM, with the fast matmul', async () => {
    const none = loader([]);
    const picked = await selectDevice('auto', { importModule: none.load });
    expect(picked.device).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(none.calls).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', 'webgpu']);
    expect(picked.tried.find((t) => t.device === 'webgpu')).toMatchObject({
      available: false,
      fix: expect.stringContaining('npm install webgpu'),
    });
    expect(isFastMatMulInstalled('wasm')).toBe(true);
    expect(getKernel(BatchMatMul, 'wasm')).toBeDefined();
    // Gradients are loaded by selectDevice (tfjs-core's Node entry has none).
    const g = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(tf.matMul(x, x, false, true)))(tf.eye(3))
        .arraySync(),
    );
    expect(g).toEqual([
      [2, 2, 2],
      [2, 2, 2],
      [2, 2, 2],
    ]); // d/dX sum(X X^T) = 2 * ones X
  });

  it('a device asked for by name that is missing says what to install', async () => {
    const none = loader([]);
    await expect(selectDevice('tfjs-node', { importModule: none.load })).rejects.toThrow(
      "Device 'tfjs-node' is not available: '@tensorflow/tfjs-node' is not installed. Fix: npm install @tensorflow/tfjs-node.",
    );
    await expect(selectDevice('tfjs-node-gpu', { importModule: none.load })).rejects.toThrow(
      /npm install @tensorflow\/tfjs-node-gpu \(needs CUDA/,
    );
    await expect(selectDevice('webgpu', { importModule: none.load })).rejects.toThrow(/npm install webgpu.*apt-get install -y chromium/);
  });

  it('a module that exists but fails to load is reported as broken, not missing', async () => {
    const broken = async (s: string) => {
      if (s === '@tensorflow/tfjs-node') throw new Error('libtensorflow.so.2: cannot open shared object file');
      throw notFound(s);
    };
    await expect(selectDevice('tfjs-node', { importModule: broken })).rejects.toThrow(
      /'@tensorflow\/tfjs-node' failed to load: libtensorflow\.so\.2/,
    );
  });

  it('rejects unknown devices with the list of known ones', async () => {
    await expect(selectDevice('gpu' as never)).rejects.toThrow(
      "unknown device 'gpu'. Use one of: auto, cpu, wasm, webgpu, tfjs-node, tfjs-node-gpu",
    );
  });

  it('cpu and wasm by name', async () => {
    expect((await selectDevice('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectDevice('wasm', { fastMatMul: false })).backend).toBe('wasm');
    await expect(selectDevice('wasm', { wasmPaths: '/nonexistent/' })).rejects.toThrow(/no tfjs-backend-wasm\.wasm in \/nonexistent\//);
  });
});

describe('listDevices', () => {
  it('reports every device with a reason, activating nothing', async () => {
    await selectDevice('cpu');
    const list = await listDevices({ importModule: loader([]).load });
    expect(list.map((d) => d.device)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu']);
    for (const d of list) expect(d.reason.length).toBeGreaterThan(5);
    expect(list.filter((d) => d.available).map((d) => d.device)).toEqual(['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('isModuleNotFound', () => {
  it('recognises a real missing package but not a missing dependency of another one', async () => {
    const err = await import(/* @vite-ignore */ ['@adatosk', 'no-such-package'].join('/')).catch((e: unknown) => e);
    expect(isModuleNotFound(err, '@adatosk/no-such-package')).toBe(true);
    expect(isModuleNotFound(notFound('long'), '@tensorflow/tfjs-node')).toBe(false);
  });
});
