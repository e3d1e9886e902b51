// Side-effect entry: installs every kernel of this package into TF.js's registry for 'webgpu'.
import { installWebGPUKernels } from './index.js';

installWebGPUKernels();
