// @adatosk/core/internal: what sibling packages (@adatosk/backend-node, -web, -cli, ...) need from core but
// applications should not rely on. No semver promise: names here may change in any release.
// - The fast-matmul kernel rewrite the backends install in `selectDevice` (and their benchmarks toggle).
// - The fused-op dispatch a kernel package's ops go through.
// - Did-you-mean suggestions for CLI messages.
// - HF <-> our weight layout conversion (parity tests compare gradients in HF layout).
export { FAST_MATMUL_KERNELS, installFastMatMul, uninstallFastMatMul, isFastMatMulInstalled } from './kernels/fast-matmul.js';
export type { FastMatMulInstall, FastMatMulKernel, FastMatMulOptions } from './kernels/fast-matmul.js';
export { fusedOrComposite } from './ops/fused/dispatch.js';
export { didYouMean } from './config/didYouMean.js';
export { fromHFLayout, toHFLayout, permute } from './checkpoint/layout.js';
// - The model's building blocks and fused ops, for kernel packages and their tests (composite vs fused).
export { linear } from './ops/linear.js';
export { matMulPlain, usesTransposedMatMul } from './ops/matmul.js';
export { layerNorm } from './ops/layerNorm.js';
export { gelu } from './ops/gelu.js';
export { recompute } from './ops/recompute.js';
export {
  fusedAttention,
  attentionComposite,
  defaultAttentionScale,
  ATTENTION_KERNEL,
  ATTENTION_GRAD_KERNEL,
} from './ops/fused/attention.js';
export { selfAttention } from './backbone/attention.js';
export type { AttentionParams } from './backbone/attention.js';
export { transformerBlock, blockParams } from './backbone/block.js';
export type { BlockParams } from './backbone/block.js';
export { leanBlock, leanBlockAvailable } from './backbone/leanBlock.js';
// - Fused ops with their own gradients (LayerNorm + residual, bias + GELU, the block's MLP, the global norm),
//   the kernel names a kernel package implements, and the clip the trainer applies.
export {
  layerNorm as fusedLayerNorm,
  addLayerNorm,
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
} from './ops/fused/layerNorm.js';
export { biasGelu, BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL } from './ops/fused/biasGelu.js';
export { residualMlp } from './ops/fused/mlp.js';
export { SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL } from './ops/fused/crossEntropy.js';
export { GLOBAL_NORM_KERNEL } from './ops/fused/globalNorm.js';
export { ADAMW_KERNEL } from './ops/fused/adamw.js';
export { clipByGlobalNorm, globalNorm, globalNormTensor } from './train/clip.js';
// - Memory for `recomputeBlocks: 'auto'`: the device's memory a backend package reports, the default when
//   none is known, and the per-block activation estimate the policy uses.
export { setDeviceMemory, DEFAULT_MEMORY_BYTES } from './backbone/memory.js';
export { blockActivationBytes, stepActivationBudget } from './backbone/recompute-policy.js';
