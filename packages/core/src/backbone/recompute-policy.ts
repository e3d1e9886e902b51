// What `recomputeBlocks: 'auto'` weighs: the activation memory one transformer block keeps through a training
// step, and the activation budget of a step on this device.
import { usesFusedKernel } from '../ops/fused/dispatch.js';
import { LAYER_NORM_KERNEL } from '../ops/fused/layerNorm.js';
import { BIAS_GELU_KERNEL } from '../ops/fused/biasGelu.js';
import { memoryBudget } from './memory.js';

/**
 * Bytes one block on [b, k, d] tokens keeps until the backward pass ends: the tensors its ops save and the
 * gradient of every intermediate tensor (TF.js frees neither before the whole backward pass returns),
 * measured with tf.profile on WebGPU (fused LayerNorm/GELU) and on the composite ops, as multiples of a
 * [b, k, d] and a [b, k, inter] tensor plus the attention maps [b, heads, k, k].
 */
export function blockActivationBytes(b: number, k: number, d: number, inter: number, heads: number): number {
  const fused = usesFusedKernel(LAYER_NORM_KERNEL) && usesFusedKernel(BIAS_GELU_KERNEL);
  const c = fused ? FUSED : COMPOSITE;
  return 4 * (c.width * b * k * d + c.inter * b * k * inter + c.maps * b * heads * k * k);
}

/** Coefficients of `blockActivationBytes` (tensors kept per block, in units of each shape). */
const FUSED = { width: 0, inter: 0, maps: 0 };
const COMPOSITE = { width: 0, inter: 0, maps: 0 };

/**
 * The share of the memory budget a step's activations may take: what is left after the parameters, their
 * gradients and AdamW's two moments (16 bytes per parameter), with a 15% margin for the allocator and the
 * tensors a block creates and frees.
 */
export function stepActivationBudget(numParams: number): number {
  return Math.max(0, 0.85 * memoryBudget().bytes - 16 * numParams);
}
