// Backend choice goes through @adatosk/backend-node's selectDevice (auto picks the fastest available).
import * as tf from '@tensorflow/tfjs-core';
import * as backendNode from '@adatosk/backend-node';
import { CliError } from '../errors.js';

const DEVICES = ['auto', 'cpu', 'wasm', 'webgpu', 'tfjs-node', 'tfjs-node-gpu'];

/** Activates a backend by device name and returns the tfjs backend name in use. */
export async function useBackend(device: string): Promise<string> {
  if (!DEVICES.includes(device)) {
    throw new CliError(`unknown backend '${device}'; choose one of: ${DEVICES.join(', ')}`, 2);
  }
  try {
    await backendNode.selectDevice(device as Parameters<typeof backendNode.selectDevice>[0]);
  } catch (e) {
    throw new CliError(`backend '${device}' is not available: ${(e as Error).message}`, 2);
  }
  return tf.getBackend();
}

export async function listBackends(): Promise<{ name: string; available: boolean; detail?: string }[]> {
  const list = (await backendNode.listDevices()) as unknown as Array<Record<string, unknown>>;
  return list.map((d) => ({
    name: String(d.device ?? d.name),
    available: Boolean(d.available),
    ...(d.reason || d.detail ? { detail: String(d.reason ?? d.detail) } : {}),
  }));
}
