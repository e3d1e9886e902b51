// One probe per device: is it usable here, why (not), and how to switch tfjs to it.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { installFastMatMul } from '@adatosk/core/internal';
import { installWebGPUKernels, registerWebGPUBackendWithKernelFeatures } from '@adatosk/webgpu';
import { wasmDistDir } from '../wasm/paths.js';
import { setupWasm } from '../wasm/setup.js';
import { describeAdapter, installNavigatorGpu, probeDawn, type AdapterSummary } from '../webgpu/dawn.js';
import { defaultImport, tryImport } from './modules.js';
import { BACKEND_OF, type ConcreteDevice, type DeviceOptions, type DeviceStatus } from './types.js';

export interface Probe {
  status: DeviceStatus;
  /** Registers (if needed) and activates the backend; only present when available. */
  activate?: () => Promise<void>;
  /** WebGPU: the adapter found. */
  adapter?: AdapterSummary;
}

async function setBackendOrThrow(device: ConcreteDevice, backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) {
    throw new Error(`selectDevice('${device}'): backend '${backend}' failed to initialise (tfjs logged the cause above).`);
  }
  await tf.ready();
}

function status(device: ConcreteDevice, available: boolean, reason: string, fix?: string, software?: boolean): DeviceStatus {
  return {
    device,
    backend: BACKEND_OF[device],
    available,
    reason,
    ...(fix ? { fix } : {}),
    ...(software !== undefined ? { software } : {}),
  };
}

async function probeTfjsNode(device: 'tfjs-node' | 'tfjs-node-gpu', options: DeviceOptions): Promise<Probe> {
  const specifier = `@tensorflow/${device}`;
  const fix = device === 'tfjs-node-gpu' ? `npm install ${specifier} (needs CUDA + cuDNN)` : `npm install ${specifier}`;
  const imported = await tryImport(options.importModule ?? defaultImport, specifier);
  if (!imported.ok) return { status: status(device, false, imported.reason, fix) };
  if (tf.findBackendFactory('tensorflow') === null) {
    return {
      status: status(
        device,
        false,
        `'${specifier}' loaded but registered no 'tensorflow' backend (a second copy of @tensorflow/tfjs-core?)`,
        'npm dedupe @tensorflow/tfjs-core',
      ),
    };
  }
  return {
    status: status(device, true, `'${specifier}' is installed (native TensorFlow)`),
    activate: () => setBackendOrThrow(device, 'tensorflow'),
  };
}

async function probeWebGPU(options: DeviceOptions, forAuto: boolean): Promise<Probe> {
  const dawn = await probeDawn(options.importModule ?? defaultImport);
  if (!dawn.ok) return { status: status('webgpu', false, dawn.reason, dawn.fix) };
  const reason = describeAdapter(dawn.adapter);
  if (forAuto && dawn.adapter.software && !options.allowSoftwareWebGPU) {
    return {
      status: status(
        'webgpu',
        false,
        `${reason}: skipped by auto, a software adapter is far slower than WASM`,
        "ask for 'webgpu' explicitly or pass allowSoftwareWebGPU",
        true,
      ),
    };
  }
  return {
    status: status('webgpu', true, reason, undefined, dawn.adapter.software),
    adapter: dawn.adapter,
    activate: async () => {
      installNavigatorGpu(dawn);
      await import('@tensorflow/tfjs-backend-webgpu');
      if (tf.findBackendFactory('webgpu') === null) {
        throw new Error(
          "selectDevice('webgpu'): '@tensorflow/tfjs-backend-webgpu' was imported before navigator.gpu existed, so it did not " +
            'register itself. Do not import it yourself in Node; selectDevice imports it after installing Dawn.',
        );
      }
      const kernels = options.webgpuKernels !== false;
      // A device with the features our kernels use (subgroups for the matmul kernels), unless a 'webgpu'
      // backend already runs (replacing it would lose its tensors).
      if (kernels && !webgpuInitialised()) await registerWebGPUBackendWithKernelFeatures();
      await setBackendOrThrow('webgpu', 'webgpu');
      explainReadSync(tf.backend());
      // Our kernels (attention, matmul, LayerNorm, GELU, cross-entropy, AdamW, ...); the model calls them
      // through core's op layer.
      if (kernels) installWebGPUKernels();
    },
  };
}

// Whether a 'webgpu' backend instance exists (tf.findBackend would start initialising one).
function webgpuInitialised(): boolean {
  return 'webgpu' in (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
}

// tfjs-backend-webgpu reads synchronously through an OffscreenCanvas, which Node lacks; Dawn offers no
// synchronous readback either. Replace the opaque ReferenceError with what to do instead.
function explainReadSync(backend: tf.KernelBackend): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined') return;
  const b = backend as unknown as {
    readSync: (dataId: object) => unknown;
    tensorMap?: { get(dataId: object): { values?: unknown; dtype?: string } | undefined };
  };
  const original = b.readSync;
  if ((original as { adatosk?: boolean }).adatosk) return;
  const patched = function (this: typeof b, dataId: object) {
    const data = this.tensorMap?.get(dataId);
    if (data?.values != null || data?.dtype === 'string') return original.call(this, dataId);
    throw new Error(
      'dataSync()/arraySync() cannot read a WebGPU tensor in Node: Dawn has no synchronous readback (browsers use ' +
        'an OffscreenCanvas). Use `await tensor.data()` / `await tensor.array()` instead.',
    );
  };
  (patched as { adatosk?: boolean }).adatosk = true;
  b.readSync = patched;
}

async function probeWasm(options: DeviceOptions): Promise<Probe> {
  let dir: string;
  try {
    dir = options.wasmPaths ?? wasmDistDir();
  } catch (err) {
    return { status: status('wasm', false, (err as Error).message, 'npm install @tensorflow/tfjs-backend-wasm') };
  }
  if (!dir.startsWith('file:') && !existsSync(`${dir.replace(/[\\/]?$/, '/')}tfjs-backend-wasm.wasm`)) {
    return {
      status: status('wasm', false, `no tfjs-backend-wasm.wasm in ${dir}`, 'pass wasmPaths: the directory holding the .wasm files'),
    };
  }
  return {
    status: status('wasm', true, `tfjs-backend-wasm binaries in ${dir}`),
    activate: async () => {
      await setupWasm({ wasmPaths: dir });
      if (options.fastMatMul !== false) installFastMatMul('wasm');
      await setBackendOrThrow('wasm', 'wasm');
    },
  };
}

async function probeCpu(): Promise<Probe> {
  return {
    status: status('cpu', true, 'pure JavaScript, always available (slowest)'),
    activate: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
      await setBackendOrThrow('cpu', 'cpu');
    },
  };
}

export function probe(device: ConcreteDevice, options: DeviceOptions, forAuto = false): Promise<Probe> {
  switch (device) {
    case 'tfjs-node':
    case 'tfjs-node-gpu':
      return probeTfjsNode(device, options);
    case 'webgpu':
      return probeWebGPU(options, forAuto);
    case 'wasm':
      return probeWasm(options);
    case 'cpu':
      return probeCpu();
  }
}
