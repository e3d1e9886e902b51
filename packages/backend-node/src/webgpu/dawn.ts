// WebGPU in Node through Dawn (the `webgpu` npm package). tfjs-backend-webgpu registers itself only when
// `navigator.gpu` exists at import time, so the globals go in first and the backend is imported after.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultImport, tryImport } from '../devices/modules.js';

/** Chromium's SwiftShader Vulkan driver (Debian `chromium` package): a CPU-only Vulkan for Dawn. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export const WEBGPU_INSTALL_HINT =
  "npm install webgpu; on a machine without a GPU driver install Chromium's SwiftShader Vulkan: " +
  'apt-get install -y chromium libvulkan1';

/**
 * Points Vulkan at SwiftShader when no ICD is configured and Chromium's is present, and gives Dawn an
 * XDG_RUNTIME_DIR. Must run before the first `create()`. Returns the ICD file in use, if any.
 */
export function prepareVulkanEnv(env: NodeJS.ProcessEnv = process.env, icd = SWIFTSHADER_ICD): string | undefined {
  if (env.VK_ICD_FILENAMES === undefined && existsSync(icd)) env.VK_ICD_FILENAMES = icd;
  if (env.XDG_RUNTIME_DIR === undefined) env.XDG_RUNTIME_DIR = '/tmp';
  return env.VK_ICD_FILENAMES;
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

function ldconfigLists(lib: string): boolean | undefined {
  for (const cmd of ['ldconfig', '/sbin/ldconfig']) {
    try {
      return execFileSync(cmd, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(lib);
    } catch {
      // try the next one
    }
  }
  return undefined; // cannot tell
}

/**
 * Linux: why Dawn cannot find Vulkan here (no loader, no driver manifest), or undefined when it may. Checked before
 * Dawn starts because Dawn prints "Couldn't load Vulkan" / "Found no drivers" warnings to stderr itself, which a
 * WASM run does not need to show. Undecidable cases (no ldconfig) are left to Dawn.
 */
export function vulkanMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const lib = 'libvulkan.so.1';
  const libDirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  if (!libDirs.some((d) => existsSync(join(d, lib))) && ldconfigLists(lib) === false) {
    return `the Vulkan loader (${lib}) is missing`;
  }
  const listed = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (listed !== undefined) {
    return listed.split(':').some((f) => f !== '' && existsSync(f)) ? undefined : `no Vulkan driver: ${listed} does not exist`;
  }
  const dataDirs = [
    env.XDG_DATA_HOME ?? join(homedir(), '.local/share'),
    ...(env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':'),
  ];
  const configDirs = [...(env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':'), '/etc'];
  const manifests = [...dataDirs, ...configDirs].filter(Boolean).flatMap((d) => listJson(join(d, 'vulkan/icd.d')));
  return manifests.length > 0 || env.VK_ADD_DRIVER_FILES
    ? undefined
    : 'no Vulkan driver (no manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)';
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** A software / fallback adapter (SwiftShader): correct, but far slower than WASM. */
  software: boolean;
}

/** The parts of the `webgpu` npm package (Dawn) that are used. */
export interface WebGPUModule {
  create: (flags: string[]) => GPU;
  globals: Record<string, unknown>;
}

interface DawnState {
  module: WebGPUModule;
  gpu: GPU;
}

const STATE = Symbol.for('adatosk.backendNode.dawn');
type Holder = Record<symbol, DawnState | undefined>;

export type DawnProbe =
  | { ok: true; adapter: AdapterSummary; gpu: GPU; module: WebGPUModule }
  | { ok: false; missing: boolean; reason: string; fix: string };

/** Loads `webgpu`, creates one Dawn instance per process and asks it for an adapter. */
export async function probeDawn(load: (s: string) => Promise<unknown> = defaultImport): Promise<DawnProbe> {
  const holder = globalThis as unknown as Holder;
  let state = holder[STATE];
  if (state === undefined) {
    // Only the real Dawn prints to stderr; an injected module (tests, bundlers) is asked directly.
    prepareVulkanEnv();
    const missing = load === defaultImport ? vulkanMissing() : undefined;
    if (missing !== undefined) return { ok: false, missing: false, reason: `Dawn cannot run: ${missing}`, fix: WEBGPU_INSTALL_HINT };
    const imported = await tryImport(load, 'webgpu');
    if (!imported.ok) return { ok: false, missing: imported.missing, reason: imported.reason, fix: WEBGPU_INSTALL_HINT };
    const module = imported.module as WebGPUModule;
    if (typeof module.create !== 'function') {
      return { ok: false, missing: false, reason: "'webgpu' has no create(): version too old", fix: 'npm install webgpu@latest' };
    }
    state = { module, gpu: module.create([]) };
    holder[STATE] = state;
  }
  const adapter = await state.gpu.requestAdapter();
  if (adapter === null) {
    const icd = process.env.VK_ICD_FILENAMES;
    return {
      ok: false,
      missing: false,
      reason: `Dawn found no WebGPU adapter${icd ? ` (VK_ICD_FILENAMES=${icd})` : ' (no Vulkan driver; VK_ICD_FILENAMES unset)'}`,
      fix: WEBGPU_INSTALL_HINT,
    };
  }
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const summary: AdapterSummary = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    software:
      (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true ||
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
      /swiftshader|llvmpipe|lavapipe|software/i.test(`${info?.architecture} ${info?.description}`),
  };
  return { ok: true, adapter: summary, gpu: state.gpu, module: state.module };
}

/** Puts Dawn's WebGPU globals and `navigator.gpu` on globalThis (keeps an existing navigator's fields). */
export function installNavigatorGpu(probe: Extract<DawnProbe, { ok: true }>): void {
  const g = globalThis as Record<string, unknown>;
  for (const [key, value] of Object.entries(probe.module.globals)) if (!(key in g)) g[key] = value;
  const nav = g.navigator as Record<string, unknown> | undefined;
  if (nav !== undefined && nav !== null) {
    if (nav.gpu !== probe.gpu) Object.defineProperty(nav, 'gpu', { value: probe.gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: probe.gpu }, configurable: true, writable: true });
  }
}

export function describeAdapter(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'unknown adapter';
  return `adapter: ${name}${a.software ? ' (software)' : ''}`;
}
