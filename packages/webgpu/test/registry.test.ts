import { afterEach, beforeEach, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  installWebGPUKernels,
  listWebGPUKernels,
  registerWebGPUKernel,
  resetWebGPUKernelRegistry,
  uninstallWebGPUKernels,
  unregisterWebGPUKernel,
} from '@adatosk/webgpu';

// Start from an empty registry: importing the package registers its own kernels.
beforeEach(() => resetWebGPUKernelRegistry());
afterEach(() => resetWebGPUKernelRegistry());

it('installs a kernel for webgpu, keeps the one it overrides as the fallback, and restores it', () => {
  const original = () => ({ dataId: {}, shape: [1], dtype: 'float32' as const });
  tf.registerKernel({ kernelName: 'TestOverridden', backendName: 'webgpu', kernelFunc: original });
  let seenPrevious: unknown;
  registerWebGPUKernel({
    kernelName: 'TestOverridden',
    description: 'test',
    create: (previous) => {
      seenPrevious = previous;
      return original;
    },
  });
  expect(listWebGPUKernels()).toEqual([{ kernelName: 'TestOverridden', description: 'test', installed: false, overrides: true }]);
  expect(installWebGPUKernels()).toEqual(['TestOverridden']);
  expect(seenPrevious).toBe(original);
  expect(tf.getKernel('TestOverridden', 'webgpu')?.kernelFunc).not.toBeUndefined();
  expect(listWebGPUKernels()[0].installed).toBe(true);
  uninstallWebGPUKernels();
  expect(tf.getKernel('TestOverridden', 'webgpu')?.kernelFunc).toBe(original);
  tf.unregisterKernel('TestOverridden', 'webgpu');
});

it('install honours only/except, and unregister uninstalls', () => {
  const f = () => ({ dataId: {}, shape: [1], dtype: 'float32' as const });
  registerWebGPUKernel({ kernelName: 'TestA', description: 'a', create: () => f });
  registerWebGPUKernel({ kernelName: 'TestB', description: 'b', create: () => f });
  expect(installWebGPUKernels({ except: ['TestA'] })).toEqual(['TestB']);
  expect(tf.getKernel('TestA', 'webgpu')).toBeUndefined();
  expect(unregisterWebGPUKernel('TestB')).toBe(true);
  expect(tf.getKernel('TestB', 'webgpu')).toBeUndefined();
  expect(listWebGPUKernels().map((k) => k.kernelName)).toEqual(['TestA']);
});
