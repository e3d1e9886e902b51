// @adatosk/core: backend-agnostic. Each area re-exports its public API from its own barrel.
export const VERSION = '0.1.0';
export * from './config/index.js';
export * from './backbone/index.js';
export * from './heads/index.js';
export * from './losses/index.js';
export * from './checkpoint/index.js';
export * from './flops/index.js';
export * from './masks/index.js';
export * from './adatosk/index.js';
export * from './data/index.js';
export * from './kernels/index.js';
export * from './train/index.js';
export * from './eval/index.js';
export * from './events/index.js';
export {
  setFusedOps, usesFusedKernel, fusedOrComposite,
  LAYER_NORM_KERNEL, ADD_LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL, BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL, GLOBAL_NORM_KERNEL, ADAMW_KERNEL,
} from './ops/fused/index.js';
