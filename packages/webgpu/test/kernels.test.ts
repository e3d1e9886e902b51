// The package defines its fused kernels on import and installs them only when asked.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  ADAMW_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  BIAS_GELU_GRAD_KERNEL,
  BIAS_GELU_KERNEL,
  GLOBAL_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
} from '@adatosk/core/internal';
import { installWebGPUKernels, listWebGPUKernels, uninstallWebGPUKernels } from '@adatosk/webgpu';

const OURS = [
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  BIAS_GELU_KERNEL,
  BIAS_GELU_GRAD_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
  SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL,
  GLOBAL_NORM_KERNEL,
  ADAMW_KERNEL,
];

it('defines the fused kernels on import, installs them for webgpu only when asked', () => {
  const listed = listWebGPUKernels().filter((k) => OURS.includes(k.kernelName));
  expect(listed.map((k) => k.kernelName).sort()).toEqual([...OURS].sort());
  expect(listed.every((k) => !k.installed && !k.overrides && k.description.length > 10)).toBe(true);
  for (const k of OURS) expect(tf.getKernel(k, 'webgpu')).toBeUndefined();
  const installed = installWebGPUKernels({ only: OURS });
  expect(installed.sort()).toEqual([...OURS].sort());
  for (const k of OURS) expect(tf.getKernel(k, 'webgpu')).toBeDefined();
  uninstallWebGPUKernels(OURS);
  for (const k of OURS) expect(tf.getKernel(k, 'webgpu')).toBeUndefined();
});
