/** Devices `selectDevice` understands. `auto` picks the fastest one available (see `AUTO_ORDER`). */
export type Device = 'auto' | 'cpu' | 'wasm' | 'webgpu' | 'tfjs-node' | 'tfjs-node-gpu';
export type ConcreteDevice = Exclude<Device, 'auto'>;

export const DEVICES: readonly Device[] = ['auto', 'cpu', 'wasm', 'webgpu', 'tfjs-node', 'tfjs-node-gpu'];

/** What `auto` tries, best first. */
export const AUTO_ORDER: readonly ConcreteDevice[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];

/** tfjs backend name each device registers. */
export const BACKEND_OF: Record<ConcreteDevice, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  webgpu: 'webgpu',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** One device's availability, as `listDevices` reports it. */
export interface DeviceStatus {
  device: ConcreteDevice;
  backend: string;
  available: boolean;
  /** Why it is (not) available, e.g. "adapter: google swiftshader (software)" or "not installed". */
  reason: string;
  /** What to install or set when it is not available. */
  fix?: string;
  /** WebGPU only: the adapter is a software/fallback one (SwiftShader), far slower than WASM. */
  software?: boolean;
}

/** What `selectDevice` picked and why, plus what it tried on the way (for `auto`). */
export interface DeviceSelection {
  device: ConcreteDevice;
  backend: string;
  reason: string;
  tried: DeviceStatus[];
}

export interface DeviceOptions {
  /** Module loader (tests inject fakes; bundlers may route optional peers). Default: dynamic `import()`. */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Directory holding tfjs-backend-wasm's .wasm files (see `setupWasm`). */
  wasmPaths?: string;
  /**
   * Let `auto` use a software WebGPU adapter (SwiftShader). Off by default: it is correct but orders of
   * magnitude slower than WASM. Asking for `webgpu` explicitly always accepts it.
   */
  allowSoftwareWebGPU?: boolean;
  /** Install the fast matmul rewrite on WASM (default true). */
  fastMatMul?: boolean;
  /**
   * Install @adatosk/webgpu's kernels when WebGPU is selected (default true). Off, the model runs TF.js's
   * own kernels (the composite ops); `setFusedOps(false)` or ADATOSK_FUSED=0 does the same at run time.
   */
  webgpuKernels?: boolean;
}
