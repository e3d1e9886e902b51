import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../ops/gelu.js';
import { layerNorm } from '../ops/layerNorm.js';
import { linear } from '../ops/linear.js';
import { selfAttention, type AttentionParams } from './attention.js';

export interface BlockParams {
  attention: AttentionParams;
  normBefore: [tf.Tensor, tf.Tensor];
  normAfter: [tf.Tensor, tf.Tensor];
  fc1: [tf.Tensor, tf.Tensor];
  fc2: [tf.Tensor, tf.Tensor];
}

/** Variables of one HF `VideoMAELayer` (`prefix` e.g. `videomae.encoder.layer.3`), looked up by HF name. */
export function blockParams(get: (name: string) => tf.Tensor, has: (name: string) => boolean, prefix: string): BlockParams {
  const att = `${prefix}.attention.attention`;
  const opt = (n: string) => (has(n) ? get(n) : undefined);
  return {
    attention: {
      query: get(`${att}.query.weight`), queryBias: opt(`${att}.query.bias`),
      key: get(`${att}.key.weight`), keyBias: opt(`${att}.key.bias`),
      value: get(`${att}.value.weight`), valueBias: opt(`${att}.value.bias`),
      out: get(`${prefix}.attention.output.dense.weight`), outBias: get(`${prefix}.attention.output.dense.bias`),
    },
    normBefore: [get(`${prefix}.layernorm_before.weight`), get(`${prefix}.layernorm_before.bias`)],
    normAfter: [get(`${prefix}.layernorm_after.weight`), get(`${prefix}.layernorm_after.bias`)],
    fc1: [get(`${prefix}.intermediate.dense.weight`), get(`${prefix}.intermediate.dense.bias`)],
    fc2: [get(`${prefix}.output.dense.weight`), get(`${prefix}.output.dense.bias`)],
  };
}

/** Pre-norm transformer block: x + MHSA(LN(x)), then h + MLP(LN(h)) with exact GELU. */
export function transformerBlock(x: tf.Tensor3D, p: BlockParams, numHeads: number, eps: number): tf.Tensor3D {
  return tf.tidy(() => {
    const h = tf.add(x, selfAttention(layerNorm(x, p.normBefore[0], p.normBefore[1], eps) as tf.Tensor3D, p.attention, numHeads));
    const m = linear(gelu(linear(layerNorm(h, p.normAfter[0], p.normAfter[1], eps), p.fc1[0], p.fc1[1])), p.fc2[0], p.fc2[1]);
    return tf.add(h, m) as tf.Tensor3D;
  });
}
