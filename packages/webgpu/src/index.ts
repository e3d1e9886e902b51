// @adatosk/webgpu: WebGPU kernels for AdaTosk. Importing it defines the kernels in this package's registry
// and touches neither TF.js's kernel registry nor any backend; `@adatosk/webgpu/register` (or
// `installWebGPUKernels()`) installs them for the 'webgpu' backend.
import './kernels/index.js';

export {
  registerWebGPUKernel,
  unregisterWebGPUKernel,
  listWebGPUKernels,
  installWebGPUKernels,
  uninstallWebGPUKernels,
  resetWebGPUKernelRegistry,
  type KernelFunc,
  type WebGPUKernelDefinition,
  type WebGPUKernelInfo,
  type InstallOptions,
} from './registry.js';
