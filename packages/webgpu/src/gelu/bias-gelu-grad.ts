// AdaToskBiasGeluGrad on WebGPU: [dx, dbias] of GELU(x + bias); three dispatches (dx, then the bias gradient
// as partial column sums of dx over bands of rows and their final sum).
import type * as tf from '@tensorflow/tfjs-core';
import { BIAS_GELU_GRAD_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { bandsOf, sizeOf, webgpu } from '../kernel-utils/program.js';
import { columnFinalSums, columnPartialSums } from '../kernel-utils/column-sum.js';
import { biasGeluGradProgram } from './programs.js';

registerWebGPUKernel({
  kernelName: BIAS_GELU_GRAD_KERNEL,
  description: 'Bias + GELU backward: input and bias gradients',
  create:
    () =>
    ({ inputs, backend }) => {
      const { dy, x, bias } = inputs as Record<'dy' | 'x' | 'bias', tf.TensorInfo>;
      const b = webgpu(backend);
      const size = sizeOf(x.shape);
      const cols = x.shape[x.shape.length - 1]!;
      const rows = cols === 0 ? 0 : size / cols;
      const dx = biasGeluGradProgram(b, dy, x, bias, size, cols);
      const partial = columnPartialSums(b, dx, rows, cols);
      try {
        return [dx, columnFinalSums(b, partial, bandsOf(rows), cols, cols, 0, bias.shape)];
      } finally {
        b.disposeData(partial.dataId);
      }
    },
});
