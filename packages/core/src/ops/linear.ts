import * as tf from '@tensorflow/tfjs-core';
import { matMulPlain, usesTransposedMatMul } from './matmul.js';

type GradOp = Parameters<typeof tf.customGrad>[0];

/**
 * y = x W (+ b) on the last axis, with W stored [in, out] so the forward product is a plain matMul
 * (transposed products are the slow paths on wasm). With `inputGrad: false` (x is data, e.g. the
 * pixel patches) the backward pass computes only dW, skipping a product as large as the forward one.
 *
 * Where the backend's matmul reads transposed operands in place ({@link usesTransposedMatMul}: WebGPU with
 * @adatosk/webgpu) the bias is added in the product's epilogue (`tf.fused.matMul`) and the gradients are
 * dX = dY W^T and dW = X^T dY as transposeB/transposeA products: no Transpose and no Add kernels. Elsewhere
 * the computation is exactly what it always was.
 */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor, options: { inputGrad?: boolean } = {}): tf.Tensor {
  return tf.tidy(() => {
    const inDim = weight.shape[0];
    const outDim = weight.shape[1]!;
    if (x.shape[x.rank - 1] !== inDim)
      throw new Error(`linear: input width ${x.shape[x.rank - 1]} does not match weight [${weight.shape}]`);
    const flat = tf.reshape(x, [-1, inDim]);
    let y: tf.Tensor;
    if (usesTransposedMatMul()) y = linearTransposeFree(flat as tf.Tensor2D, weight as tf.Tensor2D, bias, options.inputGrad !== false);
    else {
      const product = options.inputGrad === false ? matMulWeightOnly(flat, weight) : matMulPlain(flat, weight);
      y = bias ? tf.add(product, bias) : product;
    }
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}

/** x @ w with a gradient for w only (x is treated as a constant). */
function matMulWeightOnly(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((weight: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.matMul(x, weight),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(tf.transpose(saved[0]), dy)],
    };
  }) as unknown as GradOp);
  return op(w);
}

/**
 * x [rows, in] @ w (+ b) with the bias in the matmul epilogue and a backward of transposed products:
 * dX = dY . W^T (transposeB), dW = X^T . dY (transposeA), db = the column sums of dY.
 */
function linearTransposeFree(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | undefined, inputGrad: boolean): tf.Tensor {
  const forward = (xs: tf.Tensor2D, ws: tf.Tensor2D, b?: tf.Tensor) => (b ? tf.fused.matMul({ a: xs, b: ws, bias: b }) : tf.matMul(xs, ws));
  const biasGrad = (dy: tf.Tensor, b: tf.Tensor) => tf.reshape(tf.sum(dy, 0), b.shape);
  if (inputGrad) {
    const op = tf.customGrad(((xs: tf.Tensor2D, ws: tf.Tensor2D, ...rest: unknown[]) => {
      const b = rest.length > 1 ? (rest[0] as tf.Tensor) : undefined;
      const save = rest[rest.length - 1] as tf.GradSaveFunc;
      save([xs, ws]);
      return {
        value: forward(xs, ws, b),
        gradFunc: (dy: tf.Tensor, [sx, sw]: tf.Tensor[]) => {
          const grads = [tf.matMul(dy, sw, false, true), tf.matMul(sx, dy, true, false)];
          return b ? [...grads, biasGrad(dy, b)] : grads;
        },
      };
    }) as unknown as GradOp);
    return bias ? op(x, w, bias) : op(x, w);
  }
  const op = tf.customGrad(((ws: tf.Tensor2D, ...rest: unknown[]) => {
    const b = rest.length > 1 ? (rest[0] as tf.Tensor) : undefined;
    const save = rest[rest.length - 1] as tf.GradSaveFunc;
    save([x]);
    return {
      value: forward(x, ws, b),
      gradFunc: (dy: tf.Tensor, [sx]: tf.Tensor[]) => {
        const dw = tf.matMul(sx, dy, true, false);
        return b ? [dw, biasGrad(dy, b)] : [dw];
      },
    };
  }) as unknown as GradOp);
  return bias ? op(w, bias) : op(w);
}
