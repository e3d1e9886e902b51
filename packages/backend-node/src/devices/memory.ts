// The selected device's memory, reported to core for `recomputeBlocks: 'auto'` (core's memoryBudget). WebGPU
// does not expose a GPU's memory size, so for a hardware adapter it is asked from the driver where one says it
// (NVIDIA's nvidia-smi); a software adapter (SwiftShader) and the CPU use host memory; WASM its 4 GiB heap.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { setDeviceMemory } from '@adatosk/core/internal';
import type { ConcreteDevice } from './types.js';

const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** Total memory of the smallest NVIDIA GPU (nvidia-smi), or undefined without the tool or a GPU. */
export function nvidiaMemoryBytes(run: typeof execFile = execFile): Promise<number | undefined> {
  return new Promise((resolve) => {
    try {
      run('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 }, (err, stdout) => {
        if (err) return resolve(undefined);
        const mib = String(stdout)
          .split('\n')
          .map((l) => Number(l.trim()))
          .filter((n) => Number.isFinite(n) && n > 0);
        resolve(mib.length ? Math.min(...mib) * 2 ** 20 : undefined);
      });
    } catch {
      resolve(undefined);
    }
  });
}

/** Reports the memory of `device` to core (clears it when unknown). `adapter` describes a WebGPU adapter. */
export async function reportDeviceMemory(device: ConcreteDevice, adapter?: { vendor: string; software: boolean }): Promise<void> {
  const host = os.totalmem();
  switch (device) {
    case 'cpu':
    case 'tfjs-node':
      return setDeviceMemory(host, 'host memory');
    case 'wasm':
      return setDeviceMemory(Math.min(WASM_HEAP_BYTES, host), 'the 4 GiB WebAssembly heap');
    case 'webgpu':
    case 'tfjs-node-gpu': {
      if (adapter?.software) return setDeviceMemory(host, 'host memory (software adapter)');
      const gpu = await nvidiaMemoryBytes();
      return setDeviceMemory(gpu, 'GPU memory (nvidia-smi)');
    }
  }
}
