// Runs a planned product on the WebGPU backend: one dispatch (tiled or dot), or two for split-K.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { AdaToskDotMatMulProgram } from './dot-program.js';
import type { MatMulPlan } from './plan.js';
import type { MatMulProblem } from './problem.js';
import { AdaToskSplitKReduceProgram } from './splitk-program.js';
import { AdaToskMatMulProgram } from './tiled-program.js';

export interface MatMulOperands {
  a: TensorInfo;
  b: TensorInfo;
  bias?: TensorInfo;
}

type Runnable = Parameters<WebGPUBackend['runWebGPUProgram']>[0];

function run(backend: WebGPUBackend, program: { uniforms: unknown }, inputs: TensorInfo[]): TensorInfo {
  return backend.runWebGPUProgram(
    program as unknown as Runnable,
    inputs,
    'float32',
    program.uniforms as Parameters<WebGPUBackend['runWebGPUProgram']>[3],
  );
}

/** The product of `operands` as `p.outShape`, by `plan` (not 'tfjs'). */
export function runMatMul(
  backend: WebGPUBackend,
  p: MatMulProblem,
  operands: MatMulOperands,
  plan: Exclude<MatMulPlan, { kind: 'tfjs' }>,
): TensorInfo {
  const { a, b, bias } = operands;
  if (plan.kind === 'dot') {
    return run(backend, new AdaToskDotMatMulProgram(backend, p, operands, plan.threads, plan.subgroup), bias ? [a, b, bias] : [a, b]);
  }
  if (plan.splitK === 1) {
    return run(backend, new AdaToskMatMulProgram(backend, p, operands, plan.tile, 1, plan.kChunk), bias ? [a, b, bias] : [a, b]);
  }
  const partial = run(backend, new AdaToskMatMulProgram(backend, p, operands, plan.tile, plan.splitK, plan.kChunk), [a, b]);
  try {
    return run(backend, new AdaToskSplitKReduceProgram(backend, p, partial, bias, plan.splitK), bias ? [partial, bias] : [partial]);
  } finally {
    backend.disposeData(partial.dataId);
  }
}
