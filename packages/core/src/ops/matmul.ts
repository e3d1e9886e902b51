import * as tf from '@tensorflow/tfjs-core';
import { usesFusedKernel } from './fused/dispatch.js';

// Set (as a property of the kernel function) on BatchMatMul/_FusedMatMul kernels whose transposeA/transposeB
// products and bias epilogue are as fast as the plain product: @adatosk/webgpu's kernels (matmul/kernel.ts
// there, same Symbol.for key). Core never imports a backend, so it reads the mark off the registry.
const TRANSPOSE_FREE_MATMUL = Symbol.for('@adatosk/core/transpose-free-matmul');

function marked(kernelName: string, backendName: string): boolean {
  const fn = tf.getKernel(kernelName, backendName)?.kernelFunc as unknown as Record<symbol, unknown> | undefined;
  return fn?.[TRANSPOSE_FREE_MATMUL] === true;
}

/**
 * True when the active backend's matmul kernels read transposed operands in place and add a bias in the
 * epilogue at full speed (WebGPU with @adatosk/webgpu installed): products then use transposeA/transposeB
 * and `tf.fused.matMul` instead of explicit Transpose kernels and a separate Add. False elsewhere (on WASM
 * the transposed paths are 10-17x slower than an explicit transpose), and with `setFusedOps(false)` or
 * `setFusedOps(false, ['_FusedMatMul'])`.
 */
export function usesTransposedMatMul(): boolean {
  if (!usesFusedKernel(tf._FusedMatMul)) return false;
  const backend = tf.getBackend();
  return marked(tf.BatchMatMul, backend) && marked(tf._FusedMatMul, backend);
}

function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return tf.transpose(x, perm);
}

/**
 * a @ b (rank 2-4, same batch dims). Where transposed products are slow (WASM, CPU), its gradient uses
 * explicit transposes plus plain products (dA = dY @ b^T, dB = a^T @ dY) instead of matMul's
 * transposeA/transposeB paths, which are 10-17x slower on the wasm backend; an explicit transpose costs far
 * less. Where they are fast ({@link usesTransposedMatMul}) it is tf.matMul, whose gradient takes those
 * paths with no Transpose kernel. Same values as tf.matMul.
 */
export function matMulPlain(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (usesTransposedMatMul()) return tf.matMul(a, b);
  const op = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved;
        return [tf.matMul(dy, swapLast(sy)), tf.matMul(swapLast(sx), dy)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(a, b);
}

/**
 * a @ b + bias as one `_FusedMatMul` kernel, without the custom-gradient scope `tf.fused.matMul` wraps it in: for
 * the forward pass of ops whose gradients are written out (the fused MLP, the lean block).
 */
export function matMulBias(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return tf
    .engine()
    .runKernel(tf._FusedMatMul, { a, b, bias }, { transposeA: false, transposeB: false, activation: 'linear' }) as tf.Tensor;
}
