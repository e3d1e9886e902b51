export { fusedOrComposite, setFusedOps, usesFusedKernel } from './dispatch.js';
export {
  layerNorm as fusedLayerNorm,
  addLayerNorm,
  LAYER_NORM_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
} from './layerNorm.js';
export { biasGelu, BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL } from './biasGelu.js';
export { SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL } from './crossEntropy.js';
export { GLOBAL_NORM_KERNEL } from './globalNorm.js';
export { ADAMW_KERNEL } from './adamw.js';
export { residualMlp } from './mlp.js';
export {
  fusedAttention,
  attentionComposite,
  defaultAttentionScale,
  registerAttentionGradient,
  ATTENTION_KERNEL,
  ATTENTION_GRAD_KERNEL,
} from './attention.js';
