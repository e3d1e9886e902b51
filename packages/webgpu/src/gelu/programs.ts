// Bias + exact GELU programs, elementwise over [rows, cols] with the bias indexed by column.
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { elementwiseProgram, i32, runProgram } from '../kernel-utils/program.js';
import { ERF_SNIPPET } from '../kernel-utils/wgsl.js';

/** u = x + bias, the bias indexed by column. */
const BIASED = 'let u = x[index] + bias[index % uniforms.cols];';

/** y = GELU(x + bias), in the composite's order: ((u * 0.5) * (erf(u * sqrt(1/2)) + 1)). */
export function biasGeluProgram(backend: WebGPUBackend, x: tf.TensorInfo, bias: tf.TensorInfo, size: number, cols: number): tf.TensorInfo {
  const prog = elementwiseProgram({
    key: 'bias_gelu',
    inputs: ['x', 'bias'],
    outputShape: x.shape,
    size,
    uniforms: 'cols : i32,',
    prelude: ERF_SNIPPET,
    body: `${BIASED}
    result[index] = (u * 0.5) * (erfAS(u * 0.7071067811865476) + 1.0);`,
  });
  return runProgram(backend, prog, [x, bias], [i32(size), i32(cols)]);
}

/** dx = dy * (Phi(u) + u * phi(u)) with u = x + bias: the derivative of the exact GELU. */
export function biasGeluGradProgram(
  backend: WebGPUBackend,
  dy: tf.TensorInfo,
  x: tf.TensorInfo,
  bias: tf.TensorInfo,
  size: number,
  cols: number,
): tf.TensorInfo {
  const prog = elementwiseProgram({
    key: 'bias_gelu_grad',
    inputs: ['dy', 'x', 'bias'],
    outputShape: x.shape,
    size,
    uniforms: 'cols : i32,',
    prelude: ERF_SNIPPET,
    body: `${BIASED}
    let cdf = 0.5 * (erfAS(u * 0.7071067811865476) + 1.0);
    let pdf = 0.3989422804014327 * exp(-0.5 * u * u);
    result[index] = dy[index] * (cdf + u * pdf);`,
  });
  return runProgram(backend, prog, [dy, x, bias], [i32(size), i32(cols)]);
}
