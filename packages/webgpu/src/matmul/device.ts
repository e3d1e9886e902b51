// A 'webgpu' backend whose device has the features our kernels use. tfjs-backend-webgpu's own factory asks
// only for `timestamp-query` and `bgra8unorm-storage`, so on its device the subgroup paths stay off.
import * as tf from '@tensorflow/tfjs-core';
import { kernelDeviceFeatures } from './adapter.js';

export interface KernelBackendOptions {
  /** Replace a 'webgpu' backend that is already initialised (its tensors are lost). Default false. */
  replace?: boolean;
  /** Registry priority (tfjs-backend-webgpu uses 3). */
  priority?: number;
  powerPreference?: GPUPowerPreference;
}

/**
 * Registers the 'webgpu' backend factory anew so that its device also has `subgroups` (and every feature
 * TF.js asks for) where the adapter offers them, with TF.js's limits. Needs `navigator.gpu` (a browser, or
 * Dawn's globals in Node) and tfjs-backend-webgpu installed; call before `tf.setBackend('webgpu')`.
 */
export async function registerWebGPUBackendWithKernelFeatures(options: KernelBackendOptions = {}): Promise<void> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu)
    throw new Error(
      'registerWebGPUBackendWithKernelFeatures: navigator.gpu is missing (in Node, select the webgpu device first so Dawn is installed)',
    );
  // Not tf.findBackend: it would start initialising the factory registered now (a second device).
  const initialised = 'webgpu' in (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
  if (initialised && !options.replace)
    throw new Error(
      "registerWebGPUBackendWithKernelFeatures: the 'webgpu' backend is already initialised; call this before tf.setBackend('webgpu'), or pass { replace: true }",
    );
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
      if (!adapter) throw new Error('WebGPU: no adapter');
      const wanted = new Set<GPUFeatureName>(kernelDeviceFeatures(adapter));
      if (adapter.features.has('bgra8unorm-storage')) wanted.add('bgra8unorm-storage');
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures: [...wanted],
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      return new WebGPUBackend(device, (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info);
    },
    options.priority ?? 3,
  );
}
