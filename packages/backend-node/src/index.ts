// @adatosk/backend-node: side-effect free. Nothing here imports a tfjs backend at module load; backends are
// loaded by `selectDevice` on demand, or registered by importing '@adatosk/backend-node/register'.
export { selectDevice, listDevices, ensureGradients } from './devices/select.js';
export { AUTO_ORDER, DEVICES, BACKEND_OF } from './devices/types.js';
export type { Device, ConcreteDevice, DeviceOptions, DeviceSelection, DeviceStatus } from './devices/types.js';
export { isModuleNotFound } from './devices/modules.js';
export { wasmDistDir } from './wasm/paths.js';
export { setupWasm, type WasmSetupOptions } from './wasm/setup.js';
export { SWIFTSHADER_ICD, WEBGPU_INSTALL_HINT, prepareVulkanEnv, probeDawn, installNavigatorGpu } from './webgpu/dawn.js';
export type { AdapterSummary, DawnProbe, WebGPUModule } from './webgpu/dawn.js';
export { CONFIG_FILE, WEIGHTS_FILE, resolveCheckpoint, readCheckpoint } from './checkpoint/files.js';
export type { CheckpointFiles, CheckpointBytes } from './checkpoint/files.js';
export { writeFileAtomic } from './checkpoint/atomic.js';
export { loadAdaTosk, loadModel, saveCheckpoint, type SavedCheckpoint } from './checkpoint/model.js';
