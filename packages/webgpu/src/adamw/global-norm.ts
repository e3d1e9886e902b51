// AdaToskGlobalNorm on WebGPU: sqrt of the sum of squares of many tensors (the gradient-clipping norm).
// Tensors go in groups of as many as one dispatch may bind; each group's dispatch writes up to GROUP_SLOTS
// partial sums into a zeroed buffer (one per workgroup, fewer workgroups for small groups; a fixed order and no
// atomics, so the result is deterministic), and one more dispatch adds them up.
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { GLOBAL_NORM_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { i32, program, runProgram, sizeOf, webgpu, WORKGROUP_IDS } from '../kernel-utils/program.js';
import { reduceSumSnippet } from '../kernel-utils/wgsl.js';

const WG = 256;
/** Most workgroups (and partial sums) per group of tensors. */
const GROUP_SLOTS = 64;
/** Elements per thread below which a group uses fewer workgroups. */
const PER_THREAD = 16;

/** How many input tensors one dispatch may bind besides its output (WebGPU guarantees 8 storage buffers). */
export function inputsPerDispatch(backend: WebGPUBackend, reserved = 1): number {
  const limit = backend.device.limits.maxStorageBuffersPerShaderStage;
  return Math.max(1, Math.min(limit, 8) - reserved);
}

function groupProgram(count: number, workgroups: number) {
  const names = Array.from({ length: count }, (_, j) => `t${j}`);
  const sizes = names.map((_, j) => `n${j} : i32,`).join(' ');
  const loops = names
    .map((t, j) => `for (var i = start; i < uniforms.n${j}; i = i + stride) { let v = ${t}[i]; acc = acc + v * v; }`)
    .join('\n    ');
  return (outputShape: number[]) =>
    program({
      key: `global_norm_group_${count}_${WG}`,
      inputs: names,
      outputShape,
      workgroups,
      workgroupSize: WG,
      uniforms: `base : i32, workgroups : i32, ${sizes}`,
      body: `
  ${reduceSumSnippet(WG)}
  fn main(index : i32) {
    ${WORKGROUP_IDS}
    let start = wg * ${WG} + tid;
    let stride = uniforms.workgroups * ${WG};
    var acc = 0.0;
    ${loops}
    let total = reduceSum(acc, tid);
    if (tid == 0) { result[uniforms.base + wg] = total; }
  }`,
    });
}

function finalProgram() {
  return program({
    key: `global_norm_final_${WG}`,
    inputs: ['partial'],
    outputShape: [1],
    workgroups: 1,
    workgroupSize: WG,
    uniforms: 'slots : i32,',
    body: `
  ${reduceSumSnippet(WG)}
  fn main(index : i32) {
    let tid = i32(localId.x);
    var acc = 0.0;
    for (var i = tid; i < uniforms.slots; i = i + ${WG}) { acc = acc + partial[i]; }
    let total = reduceSum(acc, tid);
    if (tid == 0) { result[0] = sqrt(total); }
  }`,
  });
}

/** Sum of squares of `tensors` into partial sums, then the square root of their total: a [1] tensor. */
export function globalNorm(backend: WebGPUBackend, tensors: readonly tf.TensorInfo[]): tf.TensorInfo {
  const per = inputsPerDispatch(backend);
  const groups: tf.TensorInfo[][] = [];
  for (let i = 0; i < tensors.length; i += per) groups.push(tensors.slice(i, i + per));
  const slots = Math.max(1, groups.length) * GROUP_SLOTS;
  // Zeros: a group with fewer workgroups leaves its other slots as they are.
  const partial = backend.makeTensorInfo([slots], 'float32', new Float32Array(slots));
  try {
    groups.forEach((group, g) => {
      const sizes = group.map((t) => sizeOf(t.shape));
      const workgroups = Math.max(1, Math.min(GROUP_SLOTS, Math.ceil(Math.max(...sizes) / (WG * PER_THREAD))));
      const prog = groupProgram(group.length, workgroups)([slots]);
      runProgram(backend, prog, group, [i32(g * GROUP_SLOTS), i32(workgroups), ...sizes.map(i32)], partial);
    });
    return runProgram(backend, finalProgram(), [partial], [i32(slots)]);
  } finally {
    backend.disposeData(partial.dataId);
  }
}

registerWebGPUKernel({
  kernelName: GLOBAL_NORM_KERNEL,
  description: 'Global L2 norm of many tensors (gradient clipping) in a few dispatches',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const count = (attrs as { count: number }).count;
      const list = Array.from({ length: count }, (_, i) => (inputs as Record<string, tf.TensorInfo>)[`t${i}`]!);
      const out = globalNorm(webgpu(backend), list);
      return { dataId: out.dataId, shape: [], dtype: 'float32' };
    },
});
