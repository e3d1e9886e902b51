// Side-effect entry for browsers: registers WebGPU (only when navigator.gpu exists, tfjs's own check),
// WebGL, WASM and CPU, installs the fast matmul on WASM (importing @adatosk/core, which registers tfjs-core's
// gradients) and starts choosing a backend (WebGPU with an adapter, else WebGL, else WASM). Await
// `backendReady` before running models.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { installFastMatMul } from '@adatosk/core/internal';
import { selectWebDevice, type WebDeviceSelection } from './devices/select.js';

installFastMatMul('wasm');

/** Resolves with the backend chosen at import (wasm paths default to the page's location). */
export const backendReady: Promise<WebDeviceSelection> = selectWebDevice('auto');
