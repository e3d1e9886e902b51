// Kernel names, attributes and shape checks shared by the attention kernels. The names and attributes
// are the contract with @adatosk/core's op (packages/core/src/ops/fused/attention.ts).
import type * as tf from '@tensorflow/tfjs-core';

export const ATTENTION_KERNEL = 'AdaToskAttention';
export const ATTENTION_GRAD_KERNEL = 'AdaToskAttentionGrad';

export interface AttentionShape {
  batch: number;
  tokens: number;
  heads: number;
  /** Head width. */
  dh: number;
  /** heads * dh: the width of the output. */
  width: number;
  scale: number;
  /** Rank of qkv: 3, or 2 for rows with attribute tokens. */
  rank: number;
}

/**
 * Reads and checks the packed input `qkv` and the attributes numHeads, scale and (rank 2 only) tokens. `qkv` is
 * [B, N, 3 * heads * dh], or the same memory as rows [B * N, 3 * heads * dh] with attribute `tokens` = N (a
 * caller working on flat rows then needs no reshape either way); the output keeps qkv's rank.
 */
export function attentionShape(qkv: tf.TensorInfo | undefined, attrs: tf.NamedAttrMap | undefined, kernel: string): AttentionShape {
  if (!qkv) throw new Error(`${kernel}: missing input 'qkv' ([batch, tokens, 3 * heads * headWidth])`);
  const heads = Number(attrs?.numHeads);
  const scale = Number(attrs?.scale);
  if (qkv.dtype !== 'float32') throw new Error(`${kernel}: qkv must be float32, got ${qkv.dtype}`);
  if (qkv.shape.length !== 3 && qkv.shape.length !== 2)
    throw new Error(
      `${kernel}: qkv must be [batch, tokens, 3 * heads * headWidth] (or its rows with attribute tokens), got [${qkv.shape}]`,
    );
  if (!Number.isInteger(heads) || heads < 1)
    throw new Error(`${kernel}: attribute numHeads must be a positive integer, got ${attrs?.numHeads}`);
  if (!Number.isFinite(scale)) throw new Error(`${kernel}: attribute scale must be a finite number, got ${attrs?.scale}`);
  let batch: number;
  let tokens: number;
  const packed = qkv.shape[qkv.shape.length - 1]!;
  if (qkv.shape.length === 3) [batch, tokens] = qkv.shape as [number, number, number];
  else {
    tokens = Number(attrs?.tokens);
    const rows = qkv.shape[0]!;
    if (!Number.isInteger(tokens) || tokens < 1 || rows % tokens !== 0)
      throw new Error(
        `${kernel}: rows of qkv [${qkv.shape}] need attribute tokens (tokens per clip, dividing ${rows}), got ${attrs?.tokens}`,
      );
    batch = rows / tokens;
  }
  if (packed % (3 * heads) !== 0) throw new Error(`${kernel}: qkv's last axis (${packed}) must be 3 * numHeads (${heads}) * headWidth`);
  const dh = packed / (3 * heads);
  return { batch, tokens, heads, dh, width: heads * dh, scale, rank: qkv.shape.length };
}

/** Shape of the output (and of its gradient): qkv's rank, heads * dh wide. */
export function outputShape(s: AttentionShape): number[] {
  return s.rank === 2 ? [s.batch * s.tokens, s.width] : [s.batch, s.tokens, s.width];
}

/** Throws unless `t` has exactly `shape` and is float32. */
export function expectShape(t: tf.TensorInfo | undefined, shape: number[], name: string, kernel: string): tf.TensorInfo {
  if (!t) throw new Error(`${kernel}: missing input '${name}'`);
  if (t.dtype !== 'float32' || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new Error(`${kernel}: input '${name}' must be float32 [${shape}], got ${t.dtype} [${t.shape}]`);
  return t;
}
