// AdaToskLayerNormGrad on WebGPU: [dx, dweight, dbias] of LayerNorm (plus the residual sum's gradient when
// `dsum` is given). Five dispatches: row statistics, the input gradient (a workgroup per row), partial column
// sums over bands of rows for both parameter gradients, and their two final sums.
import type * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM_GRAD_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { bandsOf, sizeOf, webgpu } from '../kernel-utils/program.js';
import { columnFinalSums } from '../kernel-utils/column-sum.js';
import { inputGradProgram, paramGradPartialProgram, statsProgram } from './programs.js';

registerWebGPUKernel({
  kernelName: LAYER_NORM_GRAD_KERNEL,
  description: 'LayerNorm backward: input, weight and bias gradients (with the residual gradient added)',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const { dy, x, weight, dsum } = inputs as Record<'dy' | 'x' | 'weight', tf.TensorInfo> & { dsum?: tf.TensorInfo };
      const b = webgpu(backend);
      const cols = x.shape[x.shape.length - 1]!;
      const rows = cols === 0 ? 0 : sizeOf(x.shape) / cols;
      const stats = statsProgram(b, x, rows, cols, (attrs as { eps: number }).eps);
      const partial = paramGradPartialProgram(b, dy, x, stats, rows, cols);
      try {
        const dx = inputGradProgram(b, dy, x, weight, stats, dsum, rows, cols);
        const bands = bandsOf(rows);
        const dw = columnFinalSums(b, partial, bands, cols, 2 * cols, 0, weight.shape);
        const db = columnFinalSums(b, partial, bands, cols, 2 * cols, cols, weight.shape);
        return [dx, dw, db];
      } finally {
        b.disposeData(stats.dataId);
        b.disposeData(partial.dataId);
      }
    },
});
