// LayerNorm's programs. Each row of `cols` values (the last axis) is one workgroup's for the row-wise passes.
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  bandsOf,
  ELEMENTWISE_WORKGROUP,
  elementwiseProgram,
  f32,
  i32,
  program,
  ROWS_PER_BAND,
  runProgram,
  WORKGROUP_IDS,
} from '../kernel-utils/program.js';
import { reduceSumSnippet, rowWorkgroupSize } from '../kernel-utils/wgsl.js';

/**
 * Inside `main` of a row-per-workgroup pass over `x`: `cols`, `valid`, `base`, and the row's `mean` and `rstd`
 * (two passes over the row, the composite's order: mean, then the centred squares). Shared by the forward
 * and the statistics pass so both normalise with the same numbers.
 */
function rowStats(wg: number): string {
  return `let cols = uniforms.cols;
    let valid = wg < uniforms.rows;
    let base = wg * cols;
    var s = 0.0;
    if (valid) { for (var c = tid; c < cols; c = c + ${wg}) { s = s + x[base + c]; } }
    let mean = reduceSum(s, tid) / f32(cols);
    var q = 0.0;
    if (valid) { for (var c = tid; c < cols; c = c + ${wg}) { let d = x[base + c] - mean; q = q + d * d; } }
    let rstd = inverseSqrt(reduceSum(q, tid) / f32(cols) + uniforms.eps);`;
}

/** sum = x + residual, elementwise. */
export function addProgram(backend: WebGPUBackend, x: tf.TensorInfo, residual: tf.TensorInfo, size: number): tf.TensorInfo {
  const prog = elementwiseProgram({
    key: 'ln_add',
    inputs: ['x', 'residual'],
    outputShape: x.shape,
    size,
    body: 'result[index] = x[index] + residual[index];',
  });
  return runProgram(backend, prog, [x, residual], [i32(size)]);
}

/**
 * y = (x - mean) * rstd * weight + bias per row, the mean and variance computed in the same workgroup (the
 * same order of operations as the composite: centred * rsqrt(var + eps), then * weight, then + bias).
 */
export function normalizeProgram(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  weight: tf.TensorInfo,
  bias: tf.TensorInfo,
  rows: number,
  cols: number,
  eps: number,
): tf.TensorInfo {
  const wg = rowWorkgroupSize(cols);
  const prog = program({
    key: `ln_forward_${wg}`,
    inputs: ['x', 'weight', 'bias'],
    outputShape: x.shape,
    workgroups: rows,
    workgroupSize: wg,
    uniforms: 'rows : i32, cols : i32, eps : f32,',
    body: `
  ${reduceSumSnippet(wg)}
  fn main(index : i32) {
    ${WORKGROUP_IDS}
    ${rowStats(wg)}
    if (valid) {
      for (var c = tid; c < cols; c = c + ${wg}) { result[base + c] = (x[base + c] - mean) * rstd * weight[c] + bias[c]; }
    }
  }`,
  });
  return runProgram(backend, prog, [x, weight, bias], [i32(rows), i32(cols), f32(eps)]);
}

/** Per-row [mean, rstd] of x, [rows, 2] (what the backward passes share). */
export function statsProgram(backend: WebGPUBackend, x: tf.TensorInfo, rows: number, cols: number, eps: number): tf.TensorInfo {
  const wg = rowWorkgroupSize(cols);
  const prog = program({
    key: `ln_stats_${wg}`,
    inputs: ['x'],
    outputShape: [rows, 2],
    workgroups: rows,
    workgroupSize: wg,
    uniforms: 'rows : i32, cols : i32, eps : f32,',
    body: `
  ${reduceSumSnippet(wg)}
  fn main(index : i32) {
    ${WORKGROUP_IDS}
    ${rowStats(wg)}
    if (valid && tid == 0) { result[2 * wg] = mean; result[2 * wg + 1] = rstd; }
  }`,
  });
  return runProgram(backend, prog, [x], [i32(rows), i32(cols), f32(eps)]);
}

/**
 * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * weight, xhat = (x - mean) * rstd; plus
 * `dsum` (the gradient reaching the residual sum) when given.
 */
export function inputGradProgram(
  backend: WebGPUBackend,
  dy: tf.TensorInfo,
  x: tf.TensorInfo,
  weight: tf.TensorInfo,
  stats: tf.TensorInfo,
  dsum: tf.TensorInfo | undefined,
  rows: number,
  cols: number,
): tf.TensorInfo {
  const wg = rowWorkgroupSize(cols);
  const withSum = dsum !== undefined;
  const prog = program({
    key: `ln_dx_${wg}_${withSum ? 'sum' : 'plain'}`,
    inputs: withSum ? ['dy', 'x', 'weight', 'stats', 'dsum'] : ['dy', 'x', 'weight', 'stats'],
    outputShape: x.shape,
    workgroups: rows,
    workgroupSize: wg,
    uniforms: 'rows : i32, cols : i32,',
    body: `
  ${reduceSumSnippet(wg)}
  fn main(index : i32) {
    ${WORKGROUP_IDS}
    let cols = uniforms.cols;
    let valid = wg < uniforms.rows;
    let base = wg * cols;
    var mean = 0.0;
    var rstd = 0.0;
    if (valid) { mean = stats[2 * wg]; rstd = stats[2 * wg + 1]; }
    var sg = 0.0;
    var sgx = 0.0;
    if (valid) {
      for (var c = tid; c < cols; c = c + ${wg}) {
        let g = dy[base + c] * weight[c];
        sg = sg + g;
        sgx = sgx + g * (x[base + c] - mean) * rstd;
      }
    }
    let meanG = reduceSum(sg, tid) / f32(cols);
    let meanGX = reduceSum(sgx, tid) / f32(cols);
    if (valid) {
      for (var c = tid; c < cols; c = c + ${wg}) {
        let xhat = (x[base + c] - mean) * rstd;
        let g = dy[base + c] * weight[c];
        result[base + c] = rstd * (g - meanG - xhat * meanGX)${withSum ? ' + dsum[base + c]' : ''};
      }
    }
  }`,
  });
  return runProgram(backend, prog, withSum ? [dy, x, weight, stats, dsum] : [dy, x, weight, stats], [i32(rows), i32(cols)]);
}

/**
 * Partial sums over bands of rows for the weight and bias gradients: [bands, 2 * cols], the first `cols`
 * columns sum dy * xhat, the next `cols` sum dy.
 */
export function paramGradPartialProgram(
  backend: WebGPUBackend,
  dy: tf.TensorInfo,
  x: tf.TensorInfo,
  stats: tf.TensorInfo,
  rows: number,
  cols: number,
): tf.TensorInfo {
  const bands = bandsOf(rows);
  const prog = program({
    key: `ln_dparam_partial_${ELEMENTWISE_WORKGROUP}`,
    inputs: ['dy', 'x', 'stats'],
    outputShape: [bands, 2 * cols],
    workgroups: Math.ceil((bands * 2 * cols) / ELEMENTWISE_WORKGROUP),
    workgroupSize: ELEMENTWISE_WORKGROUP,
    uniforms: 'rows : i32, cols : i32, bands : i32,',
    body: `
  fn main(index : i32) {
    let width = 2 * uniforms.cols;
    if (index >= uniforms.bands * width) { return; }
    let band = index / width;
    let j = index - band * width;
    let start = band * ${ROWS_PER_BAND};
    let end = min(start + ${ROWS_PER_BAND}, uniforms.rows);
    var acc = 0.0;
    if (j < uniforms.cols) {
      for (var r = start; r < end; r = r + 1) {
        let i = r * uniforms.cols + j;
        acc = acc + dy[i] * ((x[i] - stats[2 * r]) * stats[2 * r + 1]);
      }
    } else {
      let c = j - uniforms.cols;
      for (var r = start; r < end; r = r + 1) { acc = acc + dy[r * uniforms.cols + c]; }
    }
    result[index] = acc;
  }`,
  });
  return runProgram(backend, prog, [dy, x, stats], [i32(rows), i32(cols), i32(bands)]);
}
