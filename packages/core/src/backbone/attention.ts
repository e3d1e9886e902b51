import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../ops/linear.js';
import { matMulPlain } from '../ops/matmul.js';

export interface AttentionParams {
  query: tf.Tensor; queryBias?: tf.Tensor;
  key: tf.Tensor; keyBias?: tf.Tensor;
  value: tf.Tensor; valueBias?: tf.Tensor;
  out: tf.Tensor; outBias: tf.Tensor;
}

/**
 * Multi-head self-attention (HF's eager path): softmax(q k^T / sqrt(dh)) v, then the output
 * projection. Heads are split with rank-4 transposes, and keys are laid out [B, h, dh, L] so both
 * forward products are plain batched matMuls.
 */
export function selfAttention(x: tf.Tensor3D, p: AttentionParams, numHeads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, l, d] = x.shape;
    const dh = d / numHeads;
    const q = tf.reshape(linear(x, p.query, p.queryBias), [b, l, numHeads, dh]);
    const k = tf.reshape(linear(x, p.key, p.keyBias), [b, l, numHeads, dh]);
    const v = tf.reshape(linear(x, p.value, p.valueBias), [b, l, numHeads, dh]);
    const qh = tf.transpose(tf.mul(q, 1 / Math.sqrt(dh)), [0, 2, 1, 3]); // [B,h,L,dh]
    const kt = tf.transpose(k, [0, 2, 3, 1]); // [B,h,dh,L]
    const vh = tf.transpose(v, [0, 2, 1, 3]); // [B,h,L,dh]
    const probs = tf.softmax(matMulPlain(qh, kt), -1);
    const ctx = tf.transpose(matMulPlain(probs, vh), [0, 2, 1, 3]); // [B,L,h,dh]
    return linear(tf.reshape(ctx, [b, l, d]), p.out, p.outBias) as tf.Tensor3D;
  });
}
