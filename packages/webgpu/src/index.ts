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
export {
  getMatMulOptions,
  setMatMulOptions,
  resetMatMulOptions,
  type MatMulOptions,
  type PlanOverride as MatMulPlanOverride,
} from './matmul/options.js';
export { kernelDeviceFeatures, adapterProfile, type AdapterProfile } from './matmul/adapter.js';
export { registerWebGPUBackendWithKernelFeatures, type KernelBackendOptions } from './matmul/device.js';
export { planMatMul, type MatMulPlan } from './matmul/plan.js';
export { describeMatMul, type MatMulProblem } from './matmul/problem.js';
export { TILES, type TileName } from './matmul/tiles.js';
export {
  benchmarkMatMuls,
  type MatMulBenchOptions,
  type MatMulBenchResult,
  type MatMulBenchRow,
  type MatMulBenchSummary,
  type MatMulTiming,
} from './bench/matmul.js';
export {
  trainingMatMuls,
  MODEL_WIDTHS,
  MATMUL_SHAPE_CLASSES,
  type MatMulBenchShape,
  type MatMulShapeClass,
  type ModelWidths,
} from './bench/matmul-shapes.js';
