// Fused multi-head attention: softmax(scale * q k^T) v per head as one kernel (`AdaToskAttention`) where
// the backend has it (@adatosk/webgpu on 'webgpu'), else the composite of plain tfjs ops that the model
// has always run. The kernel takes q, k and v packed in one tensor (the output of one projection with
// the three weights side by side) and writes the heads back side by side, so neither direction needs a
// Transpose kernel. Importing this file registers the kernel's gradient (backend-agnostic: it runs
// `AdaToskAttentionGrad` by name, which the same backend provides).
import * as tf from '@tensorflow/tfjs-core';
import { matMulPlain } from '../matmul.js';
import { fusedOrComposite } from './dispatch.js';

/**
 * Kernel name of the fused forward: inputs {qkv} ([B, N, 3D], or its rows [B * N, 3D] with attr tokens = N),
 * attrs {numHeads, scale, tokens?}; outputs [out (qkv's rank), logsumexp [B, heads, N]].
 */
export const ATTENTION_KERNEL = 'AdaToskAttention';
/** Kernel name of its gradient: inputs {dy, qkv, out, lse}, same attrs; output d(qkv). */
export const ATTENTION_GRAD_KERNEL = 'AdaToskAttentionGrad';

/** 1 / sqrt(head width): the scale of HF's eager attention. */
export function defaultAttentionScale(headWidth: number): number {
  return 1 / Math.sqrt(headWidth);
}

/**
 * The composite: softmax(scale * q k^T) v per head for q, k, v [B, L, heads * dh] -> [B, L, heads * dh]
 * (HF's eager path). Heads are split with rank-4 transposes, and keys are laid out [B, h, dh, L] so both
 * products are plain batched matMuls. These are the ops, in order, that selfAttention ran before fused
 * kernels existed, so backends without the kernel compute bit for bit what they did.
 */
export function attentionComposite(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, numHeads: number, scale?: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, l, d] = q.shape;
    const dh = d / numHeads;
    const s = scale ?? defaultAttentionScale(dh);
    const qh = tf.transpose(tf.mul(tf.reshape(q, [b, l, numHeads, dh]), s), [0, 2, 1, 3]); // [B,h,L,dh]
    const kt = tf.transpose(tf.reshape(k, [b, l, numHeads, dh]), [0, 2, 3, 1]); // [B,h,dh,L]
    const vh = tf.transpose(tf.reshape(v, [b, l, numHeads, dh]), [0, 2, 1, 3]); // [B,h,L,dh]
    const probs = tf.softmax(matMulPlain(qh, kt), -1);
    const ctx = tf.transpose(matMulPlain(probs, vh), [0, 2, 1, 3]); // [B,L,h,dh]
    return tf.reshape(ctx, [b, l, d]) as tf.Tensor3D;
  });
}

function checkPacked(qkv: tf.Tensor, numHeads: number): number {
  if (qkv.rank !== 3) throw new Error(`attention: qkv must be [batch, tokens, 3 * heads * headWidth], got [${qkv.shape}]`);
  if (!Number.isInteger(numHeads) || numHeads < 1) throw new Error(`attention: numHeads must be a positive integer, got ${numHeads}`);
  const packed = qkv.shape[2]!;
  if (packed % (3 * numHeads) !== 0)
    throw new Error(`attention: qkv's last axis (${packed}) must be 3 * numHeads (${numHeads}) * headWidth; pack q, k and v side by side`);
  return packed / (3 * numHeads);
}

/**
 * Multi-head attention from packed q, k, v: `qkv` [B, L, 3 * heads * dh] holds q, k and v side by side on
 * its last axis (each head-major, as a linear layer with weights [Wq | Wk | Wv] writes them); returns
 * [B, L, heads * dh]. Runs `AdaToskAttention` when the active backend has it (see `usesFusedKernel`),
 * otherwise {@link attentionComposite} on the three slices. `scale` defaults to 1 / sqrt(dh).
 */
export function fusedAttention(qkv: tf.Tensor3D, numHeads: number, scale?: number): tf.Tensor3D {
  const dh = checkPacked(qkv, numHeads);
  const s = scale ?? defaultAttentionScale(dh);
  return tf.tidy(() => {
    const outs = fusedOrComposite<tf.Tensor[]>(ATTENTION_KERNEL, { qkv }, { numHeads, scale: s }, () => {
      const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      return [attentionComposite(q, k, v, numHeads, s)];
    });
    // The fused kernel also returns the row logsumexp; its gradient keeps its own copy, the tidy drops this one.
    return outs[0] as tf.Tensor3D;
  });
}

/** Registers the gradient of `AdaToskAttention` (once per tfjs-core instance). */
export function registerAttentionGradient(): void {
  if (tf.getGradient(ATTENTION_KERNEL) != null) return;
  tf.registerGradient({
    kernelName: ATTENTION_KERNEL,
    inputsToSave: ['qkv'],
    outputsToSave: [true, true],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const [qkv, out, lse] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      // Only the output feeds anything; the logsumexp is bookkeeping for this gradient (its dy is null).
      const dOut = Array.isArray(dy) ? dy[0] : dy;
      return {
        qkv: () =>
          dOut == null
            ? tf.zerosLike(qkv)
            : (tf.engine().runKernel(ATTENTION_GRAD_KERNEL, { dy: dOut, qkv, out, lse }, attrs) as tf.Tensor),
      };
    },
  });
}

registerAttentionGradient();
