export { fusedOrComposite, setFusedOps, usesFusedKernel } from './dispatch.js';
