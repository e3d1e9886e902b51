// `adatosk info`: versions, backends and platform, for bug reports.
import { createRequire } from 'node:module';
import os from 'node:os';
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import { listWebGPUKernels, type WebGPUKernelInfo } from '@adatosk/webgpu';
import { backendArgs, outputArgs } from '../args.js';
import { processIo, type Io } from '../io.js';
import { SOFTWARE_WEBGPU, listBackends, useBackend, type BackendListing } from '../runtime/backend.js';
import { VERSION } from '../version.js';

export interface InfoResult {
  versions: Record<string, string | null>;
  backends: BackendListing[];
  backendInUse: string | null;
  /** On WebGPU: @adatosk/webgpu's kernels and whether each is installed. */
  webgpuKernels?: WebGPUKernelInfo[];
  platform: { os: string; arch: string; node: string; cpus: number; cpuModel: string; memoryGiB: number };
}

const PACKAGES = [
  '@adatosk/core',
  '@adatosk/masks',
  '@adatosk/datasets',
  '@adatosk/webgpu',
  '@adatosk/backend-node',
  '@adatosk/backend-web',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
];

function versionOf(name: string): string | null {
  const req = createRequire(import.meta.url);
  try {
    return (req(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

export async function runInfo(opts: { backend?: string; json?: boolean; io?: Io } = {}): Promise<InfoResult> {
  const io = opts.io ?? processIo;
  const versions: Record<string, string | null> = { '@adatosk/cli': VERSION };
  for (const p of PACKAGES) versions[p] = versionOf(p);
  const backends = await listBackends();
  let backendInUse: string | null = null;
  let backendError: string | undefined;
  try {
    backendInUse = await useBackend(opts.backend ?? 'auto', io);
  } catch (e) {
    backendError = (e as Error).message;
  }
  const cpus = os.cpus();
  const result: InfoResult = {
    versions,
    backends,
    backendInUse,
    platform: {
      os: `${os.type()} ${os.release()}`,
      arch: process.arch,
      node: process.version,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
  };
  if (backendInUse === 'webgpu') result.webgpuKernels = listWebGPUKernels();
  if (opts.json) io.out(JSON.stringify(backendError ? { ...result, backendError } : result));
  else {
    io.out('adatosk info');
    io.out('  packages:');
    for (const [k, v] of Object.entries(versions)) io.out(`    ${k.padEnd(34)} ${v ?? '(not installed)'}`);
    io.out('  backends:');
    for (const b of backends) {
      // A software WebGPU adapter works when asked for by name, but it is no GPU: say so instead of "available".
      const state = b.software ? `only ${SOFTWARE_WEBGPU}; --backend webgpu forces it` : b.available ? 'available' : 'unavailable';
      io.out(`    ${b.name.padEnd(16)} ${state}${b.detail ? ` (${b.detail})` : ''}`);
    }
    io.out(`  in use: ${backendInUse ?? `none (${backendError})`}${backendInUse ? `  tfjs-core ${tf.version_core}` : ''}`);
    if (result.webgpuKernels) {
      io.out(`  WebGPU kernels (@adatosk/webgpu):`);
      for (const k of result.webgpuKernels)
        io.out(`    ${k.kernelName.padEnd(34)} ${k.installed ? 'installed' : 'not installed'}  ${k.description}`);
    }
    const p = result.platform;
    io.out(`  platform: ${p.os} ${p.arch}, Node ${p.node}, ${p.cpus} x ${p.cpuModel}, ${p.memoryGiB} GiB`);
  }
  return result;
}

export default defineCommand({
  meta: { name: 'info', description: 'Print package versions, available backends, the backend in use and the platform' },
  args: { ...backendArgs, ...outputArgs },
  async run({ args }) {
    await runInfo({ backend: args.backend, json: args.json });
  },
});
