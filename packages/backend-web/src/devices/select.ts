// Browser device choice: WebGPU (when an adapter is found), then WebGL, then WASM, then CPU. Backends are
// imported on demand, so importing this module registers nothing.
import * as tf from '@tensorflow/tfjs-core';
import { installFastMatMul } from '@adatosk/core/internal';
import { installWebGPUKernels, registerWebGPUBackendWithKernelFeatures } from '@adatosk/webgpu';

export type WebDevice = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type ConcreteWebDevice = Exclude<WebDevice, 'auto'>;
export const WEB_DEVICES: readonly WebDevice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
export const WEB_AUTO_ORDER: readonly ConcreteWebDevice[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface WebDeviceStatus {
  device: ConcreteWebDevice;
  available: boolean;
  reason: string;
}

export interface WebDeviceSelection {
  device: ConcreteWebDevice;
  backend: string;
  reason: string;
  tried: WebDeviceStatus[];
}

/** The globals feature detection looks at (injectable for tests). */
export interface WebEnvironment {
  navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
  WebAssembly?: unknown;
  OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown };
  document?: { createElement(tag: 'canvas'): { getContext(kind: string): unknown } };
}

export interface WebDeviceOptions {
  /** Where tfjs-backend-wasm's .wasm files are served from (a URL prefix ending in '/', or a file map). */
  wasmPaths?: string | Record<string, string>;
  /** Install the fast matmul rewrite on WASM (default true). */
  fastMatMul?: boolean;
  /** Install @adatosk/webgpu's fused kernels when WebGPU is selected (default true). */
  webgpuKernels?: boolean;
  /** Globals to detect features on (default globalThis). */
  env?: WebEnvironment;
  /** Backend module loader (tests); default dynamic import of the tfjs backend package. */
  importBackend?: (device: ConcreteWebDevice) => Promise<unknown>;
}

const defaultImportBackend = (device: ConcreteWebDevice): Promise<unknown> => {
  switch (device) {
    case 'webgpu':
      return import('@tensorflow/tfjs-backend-webgpu');
    case 'webgl':
      return import('@tensorflow/tfjs-backend-webgl');
    case 'wasm':
      return import('@tensorflow/tfjs-backend-wasm');
    case 'cpu':
      return import('@tensorflow/tfjs-backend-cpu');
  }
};

/** Feature detection only: what could run here and why (not). Registers nothing. */
export async function detectWebDevices(env: WebEnvironment = globalThis as WebEnvironment): Promise<WebDeviceStatus[]> {
  const out: WebDeviceStatus[] = [];
  const gpu = env.navigator?.gpu;
  if (gpu === undefined)
    out.push({ device: 'webgpu', available: false, reason: 'navigator.gpu is missing (browser without WebGPU, or not a secure context)' });
  else {
    let adapter: unknown = null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (err) {
      out.push({ device: 'webgpu', available: false, reason: `requestAdapter() failed: ${(err as Error).message}` });
    }
    if (out.length === 0) {
      out.push(
        adapter
          ? { device: 'webgpu', available: true, reason: 'WebGPU adapter found' }
          : { device: 'webgpu', available: false, reason: 'navigator.gpu.requestAdapter() returned null (no usable GPU)' },
      );
    }
  }
  out.push(detectWebGL(env));
  out.push(
    typeof env.WebAssembly === 'object' && env.WebAssembly !== null
      ? { device: 'wasm', available: true, reason: 'WebAssembly available' }
      : { device: 'wasm', available: false, reason: 'WebAssembly is not available' },
  );
  out.push({ device: 'cpu', available: true, reason: 'pure JavaScript, always available (slowest)' });
  return out;
}

function detectWebGL(env: WebEnvironment): WebDeviceStatus {
  try {
    const canvas = env.OffscreenCanvas ? new env.OffscreenCanvas(1, 1) : env.document?.createElement('canvas');
    if (canvas === undefined) return { device: 'webgl', available: false, reason: 'no canvas (not a browser)' };
    if (canvas.getContext('webgl2')) return { device: 'webgl', available: true, reason: 'WebGL 2 context created' };
    if (canvas.getContext('webgl')) return { device: 'webgl', available: true, reason: 'WebGL 1 context created' };
    return { device: 'webgl', available: false, reason: 'the canvas gave no WebGL context' };
  } catch (err) {
    return { device: 'webgl', available: false, reason: `WebGL probe failed: ${(err as Error).message}` };
  }
}

const BACKEND: Record<ConcreteWebDevice, string> = { webgpu: 'webgpu', webgl: 'webgl', wasm: 'wasm', cpu: 'cpu' };

async function activate(device: ConcreteWebDevice, options: WebDeviceOptions): Promise<void> {
  const mod = (await (options.importBackend ?? defaultImportBackend)(device)) as {
    setWasmPaths?: (p: string | Record<string, string>) => void;
  };
  if (device === 'wasm') {
    if (options.wasmPaths !== undefined) mod.setWasmPaths?.(options.wasmPaths);
    if (options.fastMatMul !== false) installFastMatMul('wasm');
  }
  if (tf.findBackendFactory(BACKEND[device]) === null) {
    throw new Error(`the ${device} backend did not register itself (for webgpu: navigator.gpu must exist when it is imported)`);
  }
  const kernels = device === 'webgpu' && options.webgpuKernels !== false;
  // A device with the features our kernels use (subgroups for the matmul kernels). Only with the real
  // tfjs-backend-webgpu (not a test's loader), and not over a 'webgpu' backend already running.
  const initialised = BACKEND[device] in (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
  if (kernels && options.importBackend === undefined && !initialised) await registerWebGPUBackendWithKernelFeatures();
  if (!(await tf.setBackend(BACKEND[device]))) throw new Error(`backend '${device}' failed to initialise (see the console)`);
  await tf.ready();
  if (kernels) installWebGPUKernels();
}

/**
 * Picks and activates a backend in the browser and loads the gradients. `auto` tries WebGPU, WebGL, WASM,
 * CPU; a device asked for by name that cannot run throws with the reason.
 */
export async function selectWebDevice(device: WebDevice = 'auto', options: WebDeviceOptions = {}): Promise<WebDeviceSelection> {
  if (!WEB_DEVICES.includes(device))
    throw new Error(`selectWebDevice: unknown device '${String(device)}'. Use one of: ${WEB_DEVICES.join(', ')}.`);
  const statuses = await detectWebDevices(options.env);
  const order = device === 'auto' ? WEB_AUTO_ORDER : [device];
  const tried: WebDeviceStatus[] = [];
  for (const candidate of order) {
    const status = { ...statuses.find((s) => s.device === candidate)! };
    tried.push(status);
    if (!status.available) continue;
    try {
      await activate(candidate, options);
    } catch (err) {
      status.available = false;
      status.reason = `${status.reason}; ${(err as Error).message}`;
      continue;
    }
    // @adatosk/core registers tfjs-core's gradients on import.
    if (tf.getGradient('BatchMatMul') === undefined) await import('@adatosk/core');
    return { device: candidate, backend: BACKEND[candidate], reason: device === 'auto' ? `auto: ${status.reason}` : status.reason, tried };
  }
  const detail = tried.map((t) => `${t.device}: ${t.reason}`).join('; ');
  throw new Error(
    device === 'auto'
      ? `selectWebDevice('auto'): no backend could start (${detail})`
      : `Device '${device}' is not available here: ${detail}`,
  );
}
