// BatchMatMul for 'webgpu': our tiled / dot kernels by shape class, TF.js's kernel elsewhere.
import { BatchMatMul } from '@tensorflow/tfjs-core';
import { registerWebGPUKernel } from '../registry.js';
import { createMatMulKernel } from './kernel.js';

registerWebGPUKernel({
  kernelName: BatchMatMul,
  description:
    'Matrix products: register-tiled, double-buffered WGSL with transposed operands read in place, tiles and split-K chosen per shape and adapter',
  create: (previous) => createMatMulKernel(BatchMatMul, previous),
});
