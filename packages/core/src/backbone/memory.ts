// How much memory a training step may use, for `recomputeBlocks: 'auto'`: a user budget (`setMemoryBudget`,
// `adatosk train --memory-budget 20GB`) wins; otherwise the device's memory as the backend package that
// selected the device reported it (`setDeviceMemory`: host RAM for CPU, the 4 GiB heap for WASM, the GPU's
// memory for WebGPU where the driver tells it); otherwise DEFAULT_MEMORY_BYTES. Lives on globalThis so two
// copies of core agree.
const KEY = Symbol.for('@adatosk/core/memory-budget');

/** Assumed device memory when neither a user budget nor the device's memory is known (WebGPU hides it). */
export const DEFAULT_MEMORY_BYTES = 8 * 2 ** 30;

export interface MemoryBudget {
  bytes: number;
  /** Where the number comes from: `user`, `device: <how>` or `default`. */
  source: string;
}

interface MemoryState {
  user?: number;
  device?: { bytes: number; source: string };
}

function state(): MemoryState {
  const g = globalThis as unknown as Record<symbol, MemoryState | undefined>;
  return (g[KEY] ??= {});
}

function check(what: string, bytes: number | undefined): void {
  if (bytes !== undefined && !(Number.isFinite(bytes) && bytes > 0))
    throw new Error(`${what}: expected a positive number of bytes (or undefined to clear it), got ${bytes}`);
}

/** The user's memory budget in bytes for a training step (undefined: use the device's memory). */
export function setMemoryBudget(bytes: number | undefined): void {
  check('setMemoryBudget', bytes);
  state().user = bytes;
}

/** For backend packages: the selected device's memory in bytes and how it was found (undefined: unknown). */
export function setDeviceMemory(bytes: number | undefined, source = 'device'): void {
  check('setDeviceMemory', bytes);
  state().device = bytes === undefined ? undefined : { bytes, source };
}

/** The memory a training step may use and where the number comes from. */
export function memoryBudget(): MemoryBudget {
  const s = state();
  if (s.user !== undefined) return { bytes: s.user, source: 'user' };
  if (s.device) return { bytes: s.device.bytes, source: `device: ${s.device.source}` };
  return { bytes: DEFAULT_MEMORY_BYTES, source: 'default' };
}
