import * as tf from '@tensorflow/tfjs-core';
import { fusedGlobalNorm } from '../ops/fused/globalNorm.js';

/**
 * Global L2 norm of all gradients as a device scalar (no read back, so it works where synchronous
 * reads do not, e.g. WebGPU in Node). One fused kernel where the backend has it (WebGPU with
 * @adatosk/webgpu). The caller disposes it.
 */
export function globalNormTensor(grads: Record<string, tf.Tensor>): tf.Scalar {
  const list = Object.values(grads);
  if (list.length === 0) return tf.scalar(0);
  const fused = fusedGlobalNorm(list);
  if (fused) return fused;
  // Pairwise adds, not tf.addN: WebGPU's AddN binds one storage buffer per input, and adapters allow as
  // few as 8 per shader stage (SwiftShader), far fewer than a model's parameter count.
  return tf.tidy(() => tf.sqrt(list.map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
}

/** Global L2 norm of all gradients, as a number (one asynchronous device read). */
export async function globalNorm(grads: Record<string, tf.Tensor>): Promise<number> {
  const norm = globalNormTensor(grads);
  try {
    return (await norm.data())[0]!;
  } finally {
    norm.dispose();
  }
}

/**
 * Scales gradients so their global norm is at most `maxNorm` (`AdamW.step(grads, lr, { norm, maxNorm })`
 * does the same inside the update, without these intermediate tensors) (torch.nn.utils.clip_grad_norm_:
 * g * min(1, maxNorm / (norm + 1e-6))), on the device: `norm` is the scalar from `globalNormTensor`,
 * never read back. Returns new tensors; the caller disposes both sets.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, norm: tf.Scalar, maxNorm: number): Record<string, tf.Tensor> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be a positive number, got ${maxNorm}`);
  const scale = tf.tidy(() => tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(norm, 1e-6)), 1));
  try {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
    return out;
  } finally {
    scale.dispose();
  }
}
