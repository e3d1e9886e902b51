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
}

/** Reads and checks the packed input `qkv` [B, N, 3 * heads * dh] and the attributes numHeads, scale. */
export function attentionShape(qkv: tf.TensorInfo | undefined, attrs: tf.NamedAttrMap | undefined, kernel: string): AttentionShape {
  if (!qkv) throw new Error(`${kernel}: missing input 'qkv' ([batch, tokens, 3 * heads * headWidth])`);
  const heads = Number(attrs?.numHeads);
  const scale = Number(attrs?.scale);
  if (qkv.dtype !== 'float32') throw new Error(`${kernel}: qkv must be float32, got ${qkv.dtype}`);
  if (qkv.shape.length !== 3) throw new Error(`${kernel}: qkv must be [batch, tokens, 3 * heads * headWidth], got [${qkv.shape}]`);
  if (!Number.isInteger(heads) || heads < 1)
    throw new Error(`${kernel}: attribute numHeads must be a positive integer, got ${attrs?.numHeads}`);
  if (!Number.isFinite(scale)) throw new Error(`${kernel}: attribute scale must be a finite number, got ${attrs?.scale}`);
  const [batch, tokens, packed] = qkv.shape as [number, number, number];
  if (packed % (3 * heads) !== 0) throw new Error(`${kernel}: qkv's last axis (${packed}) must be 3 * numHeads (${heads}) * headWidth`);
  const dh = packed / (3 * heads);
  return { batch, tokens, heads, dh, width: heads * dh, scale };
}

/** Throws unless `t` has exactly `shape` and is float32. */
export function expectShape(t: tf.TensorInfo | undefined, shape: number[], name: string, kernel: string): tf.TensorInfo {
  if (!t) throw new Error(`${kernel}: missing input '${name}'`);
  if (t.dtype !== 'float32' || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new Error(`${kernel}: input '${name}' must be float32 [${shape}], got ${t.dtype} [${t.shape}]`);
  return t;
}
