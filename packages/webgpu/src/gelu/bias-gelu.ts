// AdaToskBiasGelu on WebGPU: y = GELU(x + bias) (exact erf form) in one dispatch.
import type * as tf from '@tensorflow/tfjs-core';
import { BIAS_GELU_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { sizeOf, webgpu } from '../kernel-utils/program.js';
import { biasGeluProgram } from './programs.js';

registerWebGPUKernel({
  kernelName: BIAS_GELU_KERNEL,
  description: 'Bias add + exact (erf) GELU in one dispatch (backward: AdaToskBiasGeluGrad)',
  create:
    () =>
    ({ inputs, backend }) => {
      const { x, bias } = inputs as Record<'x' | 'bias', tf.TensorInfo>;
      return biasGeluProgram(webgpu(backend), x, bias, sizeOf(x.shape), x.shape[x.shape.length - 1]!);
    },
});
