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
