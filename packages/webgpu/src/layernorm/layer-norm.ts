// AdaToskLayerNorm on WebGPU: y = LN(x) * weight + bias over the last axis, one dispatch (a workgroup per row).
import type * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { sizeOf, webgpu } from '../kernel-utils/program.js';
import { normalizeProgram } from './programs.js';

registerWebGPUKernel({
  kernelName: LAYER_NORM_KERNEL,
  description: 'LayerNorm over the last axis in one dispatch (its backward: AdaToskLayerNormGrad)',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const { x, weight, bias } = inputs as Record<'x' | 'weight' | 'bias', tf.TensorInfo>;
      const cols = x.shape[x.shape.length - 1]!;
      const rows = cols === 0 ? 0 : sizeOf(x.shape) / cols;
      return normalizeProgram(webgpu(backend), x, weight, bias, rows, cols, (attrs as { eps: number }).eps);
    },
});
