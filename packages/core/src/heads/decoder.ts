import * as tf from '@tensorflow/tfjs-core';
import { transformerBlock, type BlockParams } from '../backbone/block.js';
import { layerNorm } from '../ops/fused/layerNorm.js';
import { linear } from '../ops/linear.js';
import { HEAD_NORM_EPS } from './classifier.js';

export interface DecoderParams {
  encoderToDecoder: tf.Tensor; // [D, Dd], no bias
  maskToken: tf.Tensor; // [1, 1, Dd]
  blocks: BlockParams[];
  norm: [tf.Tensor, tf.Tensor];
  head: [tf.Tensor, tf.Tensor]; // [Dd, P], [P]
}

/**
 * VideoMAE's pre-training decoder. Input: encoder output of the visible tokens [B, V, D] and the
 * decoder position rows of the visible [B, V, Dd] and hidden [B, Hn, Dd] tokens. The sequence is
 * visible tokens first, then one mask token per hidden token (HF's order); only the last Hn rows
 * go through the final norm and head, giving predictions [B, Hn, P] in hidden-token order. `recompute`
 * (gradient checkpointing) is a flag for every block or a function asked before each block.
 */
export function videoMAEDecoder(
  encoded: tf.Tensor3D,
  posVisible: tf.Tensor3D,
  posHidden: tf.Tensor3D,
  p: DecoderParams,
  numHeads: number,
  eps: number,
  options: { recompute?: boolean | (() => boolean) } = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, v] = encoded.shape;
    const [, hn, dd] = posHidden.shape;
    const visible = tf.add(linear(encoded, p.encoderToDecoder), posVisible);
    const hidden = tf.add(p.maskToken, posHidden);
    let x = tf.concat([visible, hidden], 1) as tf.Tensor3D;
    // A function decides per block (the model's 'auto' policy).
    const recompute = options.recompute;
    for (const block of p.blocks)
      x = transformerBlock(x, block, numHeads, eps, { recompute: typeof recompute === 'function' ? recompute() : recompute });
    const tail = tf.slice(x, [0, v, 0], [b, hn, dd]);
    return linear(layerNorm(tail, p.norm[0], p.norm[1], HEAD_NORM_EPS), p.head[0], p.head[1]) as tf.Tensor3D;
  });
}
