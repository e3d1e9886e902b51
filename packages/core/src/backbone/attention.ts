import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../ops/linear.js';
import { ATTENTION_KERNEL, attentionComposite, fusedAttention } from '../ops/fused/attention.js';
import { usesFusedKernel } from '../ops/fused/dispatch.js';

export interface AttentionParams {
  query: tf.Tensor;
  queryBias?: tf.Tensor;
  key: tf.Tensor;
  keyBias?: tf.Tensor;
  value: tf.Tensor;
  valueBias?: tf.Tensor;
  out: tf.Tensor;
  outBias: tf.Tensor;
}

/**
 * Multi-head self-attention (HF's eager path): softmax(q k^T / sqrt(dh)) v, then the output projection.
 * Where the backend has the fused attention kernel, q, k and v come from one projection with the three
 * weights side by side and go into the kernel packed; elsewhere three projections feed the composite,
 * the same ops as before fused kernels existed.
 */
export function selfAttention(x: tf.Tensor3D, p: AttentionParams, numHeads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const ctx = usesFusedKernel(ATTENTION_KERNEL)
      ? fusedAttention(linear(x, packedWeights(p), packedBias(p)) as tf.Tensor3D, numHeads)
      : attentionComposite(
          linear(x, p.query, p.queryBias) as tf.Tensor3D,
          linear(x, p.key, p.keyBias) as tf.Tensor3D,
          linear(x, p.value, p.valueBias) as tf.Tensor3D,
          numHeads,
        );
    return linear(ctx, p.out, p.outBias) as tf.Tensor3D;
  });
}

/** [Wq | Wk | Wv]: one [D, 3D] projection whose output is q, k, v side by side. */
export function packedWeights(p: AttentionParams): tf.Tensor {
  return tf.concat([p.query, p.key, p.value], 1);
}

/** [bq | bk | bv], zeros standing in for an absent bias (the legacy layout has no key bias); none when all are absent. */
export function packedBias(p: AttentionParams): tf.Tensor | undefined {
  const parts = [p.queryBias, p.keyBias, p.valueBias];
  if (parts.every((b) => b === undefined)) return undefined;
  const width = p.query.shape[1]!;
  return tf.concat(
    parts.map((b) => b ?? tf.zeros([width])),
    0,
  );
}
