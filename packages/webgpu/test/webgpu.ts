// Shared setup of the kernel tests: WebGPU in Node through Dawn on Chromium's SwiftShader (software
// Vulkan), with this package's kernels installed. Use inside a describeWithSystem('webgpu', ...) body.
import { beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectDevice } from '@adatosk/backend-node';
import { installWebGPUKernels } from '@adatosk/webgpu';

export { describeWithSystem } from '../../../tests/support/system.js';

/** Selects WebGPU (software adapter allowed) and installs the kernels before the suite's tests. */
export function useWebGPU(options: { install?: boolean } = {}): void {
  beforeAll(async () => {
    await selectDevice('webgpu', { webgpuKernels: options.install !== false });
    if (options.install !== false) installWebGPUKernels();
    if (tf.getBackend() !== 'webgpu') throw new Error(`expected the webgpu backend, got ${tf.getBackend()}`);
  });
}
