// The WebGPU kernel registry: our kernels, each defined in its own file, installed into TF.js's kernel
// registry for the 'webgpu' backend on demand. Same shape as the mask registry: it lives on globalThis
// under a Symbol.for key (two copies of this package share it), with register, list, unregister and a
// test-only reset, and a warning when a name is taken by a different definition.
import * as tf from '@tensorflow/tfjs-core';

/** TF.js's kernel function signature (inputs, backend, attrs). */
export type KernelFunc = tf.KernelConfig['kernelFunc'];

/** One kernel of ours: what {@link registerWebGPUKernel} takes. */
export interface WebGPUKernelDefinition {
  /** TF.js kernel name it is installed under (an op of ours such as `AdaToskAttention`, or TF.js's own such as `BatchMatMul`). */
  kernelName: string;
  /** One line for `listWebGPUKernels()`, `adatosk info` and the benchmarks. */
  description: string;
  /**
   * Builds the kernel function. `previous` is what TF.js had registered under the same name for 'webgpu'
   * (its own kernel when we override one), so a kernel can hand shapes it does not win on back to it.
   */
  create(previous: KernelFunc | undefined): KernelFunc;
}

/** What `listWebGPUKernels()` reports. */
export interface WebGPUKernelInfo {
  kernelName: string;
  description: string;
  /** Installed into TF.js's registry right now. */
  installed: boolean;
  /** Overrides a kernel TF.js registered itself. */
  overrides: boolean;
}

interface Installed {
  previous: tf.KernelConfig | undefined;
  config: tf.KernelConfig;
}

interface KernelStore {
  definitions: Map<string, WebGPUKernelDefinition>;
  installed: Map<string, Installed>;
}

const STORE_KEY = Symbol.for('@adatosk/webgpu/kernels');
const BACKEND = 'webgpu';

function store(): KernelStore {
  const g = globalThis as unknown as Record<symbol, KernelStore | undefined>;
  let s = g[STORE_KEY];
  if (!s) {
    s = { definitions: new Map(), installed: new Map() };
    g[STORE_KEY] = s;
  }
  return s;
}

/** Adds a kernel definition (not yet installed into TF.js: see {@link installWebGPUKernels}). */
export function registerWebGPUKernel(definition: WebGPUKernelDefinition): void {
  const s = store();
  const had = s.definitions.get(definition.kernelName);
  if (had === definition) return;
  if (had) console.warn(`@adatosk/webgpu: kernel '${definition.kernelName}' was already registered; the new definition replaces it.`);
  s.definitions.set(definition.kernelName, definition);
}

/** Removes a definition, uninstalling it from TF.js first when installed. Returns whether it existed. */
export function unregisterWebGPUKernel(kernelName: string): boolean {
  uninstallWebGPUKernels([kernelName]);
  return store().definitions.delete(kernelName);
}

/** Every registered kernel, by name. */
export function listWebGPUKernels(): WebGPUKernelInfo[] {
  const s = store();
  return [...s.definitions.values()]
    .map((d) => {
      const inst = s.installed.get(d.kernelName);
      const previous = inst ? inst.previous : tf.getKernel(d.kernelName, BACKEND);
      return { kernelName: d.kernelName, description: d.description, installed: inst !== undefined, overrides: previous !== undefined };
    })
    .sort((a, b) => a.kernelName.localeCompare(b.kernelName));
}

export interface InstallOptions {
  /** Install only these kernel names (default: all registered). */
  only?: readonly string[];
  /** Leave these kernel names to TF.js (or to the composite op). */
  except?: readonly string[];
}

/**
 * Installs the registered kernels into TF.js's registry for the 'webgpu' backend (replacing TF.js's own
 * under the same name, which each kernel keeps as its fallback). Needs no GPU and no backend instance;
 * idempotent. Returns the names installed.
 */
export function installWebGPUKernels(options: InstallOptions = {}): string[] {
  const s = store();
  const names: string[] = [];
  for (const d of s.definitions.values()) {
    if (options.only && !options.only.includes(d.kernelName)) continue;
    if (options.except?.includes(d.kernelName)) continue;
    if (s.installed.has(d.kernelName)) {
      names.push(d.kernelName);
      continue;
    }
    const previous = tf.getKernel(d.kernelName, BACKEND);
    if (previous) tf.unregisterKernel(d.kernelName, BACKEND);
    const config: tf.KernelConfig = { kernelName: d.kernelName, backendName: BACKEND, kernelFunc: d.create(previous?.kernelFunc) };
    tf.registerKernel(config);
    s.installed.set(d.kernelName, { previous, config });
    names.push(d.kernelName);
  }
  return names;
}

/** Puts TF.js's own kernels back (all of ours, or the names given). */
export function uninstallWebGPUKernels(names?: readonly string[]): void {
  const s = store();
  for (const [name, inst] of [...s.installed]) {
    if (names && !names.includes(name)) continue;
    if (tf.getKernel(name, BACKEND) !== undefined) tf.unregisterKernel(name, BACKEND);
    if (inst.previous) tf.registerKernel(inst.previous);
    s.installed.delete(name);
  }
}

/** Test-only: uninstalls everything and forgets every definition. */
export function resetWebGPUKernelRegistry(): void {
  uninstallWebGPUKernels();
  store().definitions.clear();
}
