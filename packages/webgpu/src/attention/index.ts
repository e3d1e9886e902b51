// The attention kernels: importing this file registers both definitions (forward and gradient).
import './forwardKernel.js';
import './backwardKernel.js';
