// Backend choice goes through @adatosk/backend-node's selectDevice (auto picks the fastest available).
import * as tf from '@tensorflow/tfjs-core';
import * as backendNode from '@adatosk/backend-node';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';

const DEVICES = ['auto', 'cpu', 'wasm', 'webgpu', 'tfjs-node', 'tfjs-node-gpu'];

/** Why a software WebGPU adapter is not what anyone wants for real work (said by `info` and `--backend webgpu`). */
export const SOFTWARE_WEBGPU = 'a software adapter (the GPU emulated on the CPU): correct, but far slower than WASM, so auto skips it';

// TF.js's CPU backend prints a banner about tfjs-node on its first tensor in Node; `info` and `auto` already
// say which backends exist, so the CLI creates that first tensor with the banner filtered out.
function quietCpuBanner(): void {
  if (tf.getBackend() !== 'cpu') return;
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/looks like you are running TensorFlow\.js in Node/.test(String(args[0]))) warn(...args);
  };
  try {
    tf.tidy(() => tf.scalar(0));
  } finally {
    console.warn = warn;
  }
}

/**
 * Activates a backend by device name and returns the tfjs backend name in use. Asking for `webgpu` when the only
 * adapter is a software one works, with a warning on `io`.
 */
export async function useBackend(device: string, io: Io = processIo): Promise<string> {
  if (!DEVICES.includes(device)) {
    throw new CliError(`unknown backend '${device}'; choose one of: ${DEVICES.join(', ')}`, 2);
  }
  let picked: backendNode.DeviceSelection;
  try {
    picked = await backendNode.selectDevice(device as Parameters<typeof backendNode.selectDevice>[0]);
  } catch (e) {
    throw new CliError(`backend '${device}' is not available: ${(e as Error).message}`, 2);
  }
  if (picked.device === 'webgpu' && picked.tried.some((t) => t.device === 'webgpu' && t.software)) {
    io.err(
      `warning: --backend webgpu runs on ${SOFTWARE_WEBGPU} (${picked.reason}); use --backend wasm (or auto) unless you are testing WebGPU itself`,
    );
  }
  quietCpuBanner();
  return tf.getBackend();
}

export interface BackendListing {
  name: string;
  available: boolean;
  detail?: string;
  /** WebGPU on a software adapter: usable when asked for by name, skipped by auto. */
  software?: boolean;
}

export async function listBackends(): Promise<BackendListing[]> {
  const list = await backendNode.listDevices();
  return list.map((d) => ({
    name: d.device,
    available: d.available,
    ...(d.reason ? { detail: d.reason } : {}),
    ...(d.software ? { software: true } : {}),
  }));
}
