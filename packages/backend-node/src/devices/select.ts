// The one device choice function (and the listing behind the CLI's `info`).
import * as tf from '@tensorflow/tfjs-core';
import { reportDeviceMemory } from './memory.js';
import { probe } from './probe.js';
import {
  AUTO_ORDER,
  DEVICES,
  type ConcreteDevice,
  type Device,
  type DeviceOptions,
  type DeviceSelection,
  type DeviceStatus,
} from './types.js';

/**
 * Makes sure tfjs-core's gradients are registered (tfjs-core's Node entry does not include them):
 * @adatosk/core registers them on import, so this loads it when nothing has yet.
 */
export async function ensureGradients(): Promise<void> {
  if (tf.getGradient('BatchMatMul') === undefined) await import('@adatosk/core');
}

/**
 * Picks a device, registers its backend, makes it tfjs's active backend and loads the gradients.
 * `auto` tries tfjs-node-gpu, tfjs-node, WebGPU (Dawn, hardware adapter), WASM, CPU in that order. A device
 * asked for by name that is not usable throws with what to install.
 */
export async function selectDevice(device: Device = 'auto', options: DeviceOptions = {}): Promise<DeviceSelection> {
  if (!DEVICES.includes(device)) {
    throw new Error(`selectDevice: unknown device '${String(device)}'. Use one of: ${DEVICES.join(', ')}.`);
  }
  const order: readonly ConcreteDevice[] = device === 'auto' ? AUTO_ORDER : [device];
  const tried: DeviceStatus[] = [];
  for (const candidate of order) {
    const p = await probe(candidate, options, device === 'auto');
    tried.push(p.status);
    if (!p.status.available || p.activate === undefined) continue;
    try {
      await p.activate();
    } catch (err) {
      if (device !== 'auto') throw err;
      p.status.available = false;
      p.status.reason = `${p.status.reason}; activation failed: ${(err as Error).message}`;
      continue;
    }
    await ensureGradients();
    await reportDeviceMemory(candidate, p.adapter);
    const why = device === 'auto' ? `auto: ${p.status.reason}` : p.status.reason;
    return { device: candidate, backend: p.status.backend, reason: why, tried };
  }
  const last = tried[tried.length - 1];
  if (device !== 'auto') {
    throw new Error(`Device '${device}' is not available: ${last.reason}.${last.fix ? ` Fix: ${last.fix}.` : ''}`);
  }
  const lines = tried.map((s) => `  ${s.device}: ${s.reason}${s.fix ? ` (fix: ${s.fix})` : ''}`);
  throw new Error(`selectDevice('auto'): no device could be used:\n${lines.join('\n')}`);
}

/** Every device with whether it is usable here and why (not); activates nothing. */
export async function listDevices(options: DeviceOptions = {}): Promise<DeviceStatus[]> {
  const out: DeviceStatus[] = [];
  for (const device of AUTO_ORDER) out.push((await probe(device, options)).status);
  return out;
}
