// Registering and activating the WASM backend in Node (dynamic import: `.` stays side-effect free).
import { sep } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wasmDistDir } from './paths.js';

export interface WasmSetupOptions {
  /**
   * Directory (or file URL) holding `tfjs-backend-wasm*.wasm`; needed when running from a bundle that
   * moved them. Defaults to the installed `@tensorflow/tfjs-backend-wasm/dist/`.
   */
  wasmPaths?: string;
}

/** Resolves and checks the wasm directory, then calls tfjs-backend-wasm's `setWasmPaths`. */
export async function setupWasm(options: WasmSetupOptions = {}): Promise<string> {
  let dir = options.wasmPaths ?? wasmDistDir();
  if (dir.startsWith('file:')) dir = fileURLToPath(dir);
  if (!dir.endsWith(sep) && !dir.endsWith('/')) dir += sep;
  if (!existsSync(`${dir}tfjs-backend-wasm.wasm`)) {
    throw new Error(
      `setupWasm: '${dir}tfjs-backend-wasm.wasm' does not exist. Pass wasmPaths pointing at the directory ` +
        `that holds the tfjs-backend-wasm .wasm files (node_modules/@tensorflow/tfjs-backend-wasm/dist/).`,
    );
  }
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(dir);
  return dir;
}
