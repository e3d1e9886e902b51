// _FusedMatMul for 'webgpu': the BatchMatMul kernels with bias and activation in the epilogue.
import { _FusedMatMul } from '@tensorflow/tfjs-core';
import { registerWebGPUKernel } from '../registry.js';
import { createMatMulKernel } from './kernel.js';

registerWebGPUKernel({
  kernelName: _FusedMatMul,
  description: 'Matrix product + bias + activation (linear, relu, relu6, elu, sigmoid, leakyrelu) in the epilogue; prelu goes to TF.js',
  create: (previous) => createMatMulKernel(_FusedMatMul, previous),
});
