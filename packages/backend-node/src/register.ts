// Side-effect entry: registers the WASM and CPU backends for Node, points WASM at its installed
// binaries and installs the fast matmul rewrite for WASM. tfjs-core's gradients come with
// @adatosk/core, which registers them on import. WASM has the higher priority, so it is the default.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installFastMatMul } from '@adatosk/core/internal';
import { wasmDistDir } from './wasm/paths.js';

let wasmDir: string | undefined;
try {
  wasmDir = wasmDistDir();
  setWasmPaths(wasmDir);
} catch {
  // From a bundle the package may not be resolvable: setupWasm({ wasmPaths }) fixes it before use.
}
installFastMatMul('wasm');

/** Directory the WASM binaries were resolved to at registration (undefined when not found). */
export const registeredWasmDir = wasmDir;
