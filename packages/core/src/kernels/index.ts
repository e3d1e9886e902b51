// Backend-agnostic kernel rewrites (wrap a backend's own kernels; never import a backend).
export {
  FAST_MATMUL_KERNELS,
  installFastMatMul,
  uninstallFastMatMul,
  isFastMatMulInstalled,
} from './fast-matmul.js';
export type { FastMatMulInstall, FastMatMulKernel, FastMatMulOptions } from './fast-matmul.js';
