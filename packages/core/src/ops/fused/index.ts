export { fusedOrComposite, setFusedOps, usesFusedKernel } from './dispatch.js';
export {
  fusedAttention,
  attentionComposite,
  defaultAttentionScale,
  registerAttentionGradient,
  ATTENTION_KERNEL,
  ATTENTION_GRAD_KERNEL,
} from './attention.js';
