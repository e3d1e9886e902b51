// What our fused kernels share: a WebGPUProgram built from a shader body, and a typed view of the backend.
// Only types come from @tensorflow/tfjs-backend-webgpu (importing it at run time would register the backend).
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** A uniform value as the backend's `runWebGPUProgram` takes it. */
export interface Uniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

export interface ProgramSpec {
  /** Cache key: must change whenever the generated code does (workgroup size, constants baked in). */
  key: string;
  /** Binding names of the inputs, in the order they are passed (read as `name[i]` in the shader). */
  inputs: readonly string[];
  outputShape: readonly number[];
  /** Workgroups to dispatch along x (the backend folds counts above its per-dimension limit into y and z). */
  workgroups: number;
  workgroupSize: number;
  /** Uniform fields, e.g. `rows : i32, eps : f32,` (values passed to {@link runProgram} in the same order). */
  uniforms?: string;
  /** The shader body: declarations, then `fn main(index : i32) { ... }` (index = global invocation index). */
  body: string;
}

/**
 * WGSL that gives the linear id of the workgroup and of the thread in it, whatever shape the backend folded
 * the dispatch into. Use inside `main`.
 */
export const WORKGROUP_IDS = `
  let wg = i32((workgroupId.z * numWorkgroups.y + workgroupId.y) * numWorkgroups.x + workgroupId.x);
  let tid = i32(localId.x);`;

/** A program for the backend's `runWebGPUProgram`: output `result`, inputs by name, a flat dispatch. */
export function program(spec: ProgramSpec): WebGPUProgram {
  return {
    variableNames: [...spec.inputs],
    outputShape: [...spec.outputShape],
    shaderKey: `adatosk_${spec.key}`,
    dispatchLayout: { x: spec.outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, spec.workgroups), 1, 1],
    workgroupSize: [spec.workgroupSize, 1, 1],
    uniforms: spec.uniforms,
    getUserCode: () => spec.body,
  };
}

/** Workgroup size of the one-thread-per-element programs. */
export const ELEMENTWISE_WORKGROUP = 256;

/**
 * A one-thread-per-element program over `size` elements: `main` returns past `uniforms.n` (the first uniform,
 * pass `i32(size)` first), then runs `body` with `index`; `prelude` holds WGSL declared before `main`.
 */
export function elementwiseProgram(spec: {
  key: string;
  inputs: readonly string[];
  outputShape: readonly number[];
  size: number;
  /** Uniform fields after `n : i32,`. */
  uniforms?: string;
  prelude?: string;
  body: string;
}): WebGPUProgram {
  return program({
    key: `${spec.key}_${ELEMENTWISE_WORKGROUP}`,
    inputs: spec.inputs,
    outputShape: spec.outputShape,
    workgroups: Math.ceil(spec.size / ELEMENTWISE_WORKGROUP),
    workgroupSize: ELEMENTWISE_WORKGROUP,
    uniforms: `n : i32,${spec.uniforms ? ` ${spec.uniforms}` : ''}`,
    body: `
  ${spec.prelude ?? ''}
  fn main(index : i32) {
    if (index >= uniforms.n) { return; }
    ${spec.body}
  }`,
  });
}

/** The WebGPU backend a kernel function received. */
export function webgpu(backend: unknown): WebGPUBackend {
  return backend as unknown as WebGPUBackend;
}

/** Runs `prog` on `inputs`, writing a new float32 tensor or into `output` (whose buffer the caller owns). */
export function runProgram(
  backend: WebGPUBackend,
  prog: WebGPUProgram,
  inputs: readonly tf.TensorInfo[],
  uniforms: readonly Uniform[] = [],
  output?: tf.TensorInfo,
): tf.TensorInfo {
  return backend.runWebGPUProgram(
    prog,
    [...inputs],
    'float32',
    uniforms.map((u) => ({ type: u.type, data: u.data })),
    output,
  );
}

export const i32 = (v: number): Uniform => ({ type: 'int32', data: [v] });
export const f32 = (v: number): Uniform => ({ type: 'float32', data: [v] });

/** Elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rows one thread sums in the first pass of a column sum (a band; see column-sum.ts). */
export const ROWS_PER_BAND = 64;

/** Number of row bands the two-pass column sums split `rows` into. */
export function bandsOf(rows: number): number {
  return Math.max(1, Math.ceil(rows / ROWS_PER_BAND));
}
