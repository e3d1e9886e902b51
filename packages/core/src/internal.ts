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
export { fusedAttention, attentionComposite, defaultAttentionScale, ATTENTION_KERNEL, ATTENTION_GRAD_KERNEL } from './ops/fused/attention.js';
export { selfAttention } from './backbone/attention.js';
export type { AttentionParams } from './backbone/attention.js';
export { transformerBlock, blockParams } from './backbone/block.js';
export type { BlockParams } from './backbone/block.js';
