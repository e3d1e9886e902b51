// Column sums of a [rows, cols] matrix in two deterministic passes (no atomics): each thread of the first pass
// sums one column over a band of ROWS_PER_BAND rows into `partial` [bands, stride]; the second pass adds the
// bands of each column. Used for bias and LayerNorm weight gradients.
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { bandsOf, i32, program, ROWS_PER_BAND, runProgram } from './program.js';

const WG = 256;

/** First pass over `src` [rows, cols] (flat): partial sums [bands, cols]. */
export function columnPartialSums(backend: WebGPUBackend, src: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  const bands = bandsOf(rows);
  const prog = program({
    key: `colsum_partial_${WG}`,
    inputs: ['src'],
    outputShape: [bands, cols],
    workgroups: Math.ceil((bands * cols) / WG),
    workgroupSize: WG,
    uniforms: 'rows : i32, cols : i32, bands : i32,',
    body: `
  fn main(index : i32) {
    if (index >= uniforms.bands * uniforms.cols) { return; }
    let band = index / uniforms.cols;
    let col = index - band * uniforms.cols;
    let start = band * ${ROWS_PER_BAND};
    let end = min(start + ${ROWS_PER_BAND}, uniforms.rows);
    var acc = 0.0;
    for (var r = start; r < end; r = r + 1) { acc = acc + src[r * uniforms.cols + col]; }
    result[index] = acc;
  }`,
  });
  return runProgram(backend, prog, [src], [i32(rows), i32(cols), i32(bands)]);
}

/**
 * Second pass: out[c] = sum over bands of partial[band * stride + offset + c], for c < cols, as a new tensor of
 * `outShape` (cols values).
 */
export function columnFinalSums(
  backend: WebGPUBackend,
  partial: tf.TensorInfo,
  bands: number,
  cols: number,
  stride: number,
  offset: number,
  outShape: readonly number[],
): tf.TensorInfo {
  const prog = program({
    key: `colsum_final_${WG}`,
    inputs: ['partial'],
    outputShape: outShape,
    workgroups: Math.ceil(cols / WG),
    workgroupSize: WG,
    uniforms: 'bands : i32, cols : i32, stride : i32, offset : i32,',
    body: `
  fn main(index : i32) {
    if (index >= uniforms.cols) { return; }
    var acc = 0.0;
    for (var b = 0; b < uniforms.bands; b = b + 1) { acc = acc + partial[b * uniforms.stride + uniforms.offset + index]; }
    result[index] = acc;
  }`,
  });
  return runProgram(backend, prog, [partial], [i32(bands), i32(cols), i32(stride), i32(offset)]);
}
