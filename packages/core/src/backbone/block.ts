import * as tf from '@tensorflow/tfjs-core';
import { addLayerNorm, layerNorm } from '../ops/fused/layerNorm.js';
import { residualMlp } from '../ops/fused/mlp.js';
import { recompute } from '../ops/recompute.js';
import { selfAttention } from './attention.js';
import { type BlockParams, flatten, rebuild } from './blockParams.js';
import { leanBlock, leanBlockAvailable } from './leanBlock.js';

export { blockParams, type BlockParams } from './blockParams.js';

/**
 * Pre-norm transformer block: x + MHSA(LN(x)), then h + MLP(LN(h)) with exact GELU.
 * With `recompute: true`, training keeps only the block's input and re-runs the block during the
 * backward pass (see `ops/recompute.ts`): same values and gradients, activation memory of one block.
 */
export function transformerBlock(
  x: tf.Tensor3D,
  p: BlockParams,
  numHeads: number,
  eps: number,
  options: { recompute?: boolean } = {},
): tf.Tensor3D {
  if (options.recompute)
    return recompute((xi, ps) => blockForward(xi as tf.Tensor3D, rebuild(p, ps), numHeads, eps), x, flatten(p)) as tf.Tensor3D;
  return blockForward(x, p, numHeads, eps);
}

// The LayerNorms (the second with the residual add before it) and the MLP with its residual add run as fused
// ops where the backend has the kernels (ops/fused/); elsewhere as the same tf ops as always.
// Where every fused kernel exists the whole block is one op (leanBlock.ts): half the kernels, same values.
function blockForward(x: tf.Tensor3D, p: BlockParams, numHeads: number, eps: number): tf.Tensor3D {
  if (leanBlockAvailable()) return leanBlock(x, p, numHeads, eps);
  return tf.tidy(() => {
    const attended = selfAttention(layerNorm(x, p.normBefore[0], p.normBefore[1], eps) as tf.Tensor3D, p.attention, numHeads);
    const { sum: h, normed } = addLayerNorm(x, attended, p.normAfter[0], p.normAfter[1], eps);
    return residualMlp(h, normed, p.fc1, p.fc2) as tf.Tensor3D;
  });
}
