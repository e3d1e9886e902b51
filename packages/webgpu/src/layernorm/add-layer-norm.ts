// AdaToskAddLayerNorm on WebGPU: [sum, y] with sum = x + residual and y = LN(sum) * weight + bias; two
// dispatches (the sum, then a workgroup per row).
import type * as tf from '@tensorflow/tfjs-core';
import { ADD_LAYER_NORM_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { sizeOf, webgpu } from '../kernel-utils/program.js';
import { addProgram, normalizeProgram } from './programs.js';

registerWebGPUKernel({
  kernelName: ADD_LAYER_NORM_KERNEL,
  description: 'Residual add + LayerNorm (writes the sum and the normalised output; backward: AdaToskLayerNormGrad)',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const { x, residual, weight, bias } = inputs as Record<'x' | 'residual' | 'weight' | 'bias', tf.TensorInfo>;
      const b = webgpu(backend);
      const size = sizeOf(x.shape);
      const cols = x.shape[x.shape.length - 1]!;
      const sum = addProgram(b, x, residual, size);
      const y = normalizeProgram(b, sum, weight, bias, cols === 0 ? 0 : size / cols, cols, (attrs as { eps: number }).eps);
      return [sum, y];
    },
});
