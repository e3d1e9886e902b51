// What `recomputeBlocks: 'auto'` weighs: the activation memory one transformer block keeps through a training
// step, and the activation budget of a step on this device.
import { usesFusedKernel } from '../ops/fused/dispatch.js';
import { LAYER_NORM_KERNEL } from '../ops/fused/layerNorm.js';
import { BIAS_GELU_KERNEL } from '../ops/fused/biasGelu.js';
import { ATTENTION_KERNEL } from '../ops/fused/attention.js';
import { leanBlockAvailable } from './leanBlock.js';
import { memoryBudget } from './memory.js';

/**
 * Bytes one block on [b, k, d] tokens keeps until the backward pass ends: the tensors its ops save and the
 * gradient of every intermediate tensor (TF.js frees neither before the whole backward pass returns),
 * measured with tf.profile on WebGPU (fused LayerNorm/GELU) and on the composite ops, as multiples of a
 * [b, k, d] and a [b, k, inter] tensor plus the attention maps [b, heads, k, k].
 */
export function blockActivationBytes(b: number, k: number, d: number, inter: number, heads: number): number {
  const fused = usesFusedKernel(LAYER_NORM_KERNEL) && usesFusedKernel(BIAS_GELU_KERNEL);
  const c = leanBlockAvailable() ? LEAN : fused ? FUSED : COMPOSITE;
  // The flash-attention kernel keeps no [b, heads, k, k] map: its backward recomputes the probabilities from
  // the row logsumexp it saved ([b, heads, k]). Its saved qkv and output are counted in the width term, which
  // was measured with composite attention (whose transposed q, k, v copies it no longer keeps): an upper bound.
  const maps = usesFusedKernel(ATTENTION_KERNEL) ? 4 * b * heads * k : c.maps * b * heads * k * k;
  return 4 * (c.width * b * k * d + c.inter * b * k * inter + maps);
}

/**
 * Coefficients of `blockActivationBytes`: tensors kept per block in units of each shape, fitted to tf.profile's
 * peak (which counts every tensor, also those sharing data: an upper bound on backends where the tape's saved
 * clones share buffers, such as WebGPU, and close to what WASM, which copies them, really holds), rounded up.
 * Measured on WebGPU at 4 shapes (tokens 100/200, widths 32, inner 64/128, heads 2/8): fused 70.8 / 0.8 / 6.0,
 * composite 102.4 / 25.0 / 6.0; the composite matches the 41.7 GB TF.js reported for base at batch 8.
 */
const FUSED = { width: 72, inter: 1, maps: 6 };
/**
 * The block as one op (leanBlock.ts) saves x, qkv (3 widths), the attention output, h, LN(h) and fc1's output, and
 * the tape keeps no intermediate gradient. Measured the same way (peak of 4 blocks minus 2, over 2) at
 * [2, 100, 32] x 64 and x 128 (2 heads) and [2, 200, 32] x 64 and [2, 200, 64] x 128 (8 heads): 8.5 / 1.3,
 * against 36 widths op by op at the same shapes.
 */
const LEAN = { width: 9, inter: 2, maps: 6 };
const COMPOSITE = { width: 104, inter: 25, maps: 6 };

/**
 * The share of the memory budget a step's activations may take: what is left after the parameters, their
 * gradients and AdamW's two moments (16 bytes per parameter), with a 15% margin for the allocator and the
 * tensors a block creates and frees.
 */
export function stepActivationBudget(numParams: number): number {
  return Math.max(0, 0.85 * memoryBudget().bytes - 16 * numParams);
}
