// A BatchMatMul / _FusedMatMul call as the problem our kernels solve: batch x [M, K] . [K, N] with each
// operand row-major or transposed in memory, a batch that is shared or broadcast from one matrix, and an
// optional bias + activation epilogue. `describeMatMul` returns why not when our kernels do not apply.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { isEpilogueActivation, type EpilogueActivation } from '../wgsl/activation.js';

export interface MatMulProblem {
  /** Output matrices (after folding a broadcast B into M, see `folded`). */
  batch: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Elements between consecutive matrices of A / B (0: one matrix broadcast over the batch). */
  strideA: number;
  strideB: number;
  /** A's batch was folded into M (B broadcast, A not transposed): one [batch*M, K] . [K, N] product. */
  folded: boolean;
  outShape: number[];
  bias?: { size: number };
  activation: EpilogueActivation;
  leakyreluAlpha: number;
}

export type MatMulCheck = { ok: true; problem: MatMulProblem } | { ok: false; reason: string };

export interface MatMulCall {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
  activation?: string | null;
  leakyreluAlpha?: number;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Our kernels' view of a call, or the reason TF.js's kernel should run it. */
export function describeMatMul(call: MatMulCall): MatMulCheck {
  const { a, b, transposeA, transposeB, bias } = call;
  const no = (reason: string): MatMulCheck => ({ ok: false, reason });
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return no(`dtype ${a.dtype} x ${b.dtype} (float32 only)`);
  if (bias && bias.dtype !== 'float32') return no(`bias dtype ${bias.dtype}`);
  if (call.preluActivationWeights) return no('prelu activation');
  const activation = call.activation ?? 'linear';
  if (!isEpilogueActivation(activation)) return no(`activation '${activation}'`);
  if (a.shape.length < 2 || b.shape.length < 2) return no('operands of rank < 2');
  if (a.shape.length > 4 || b.shape.length > 4) return no('operands of rank > 4');
  const [ar, br] = [a.shape.length, b.shape.length];
  const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const kA = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const kB = transposeB ? b.shape[br - 1] : b.shape[br - 2];
  const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  if (kA !== kB) return no(`inner sizes ${kA} and ${kB} differ`);
  if (m === 0 || n === 0 || kA === 0) return no('an empty dimension');
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  // Broadcast batch dims: equal, or one side a single matrix. Other patterns (e.g. [2,1] with [1,3]) go to TF.js.
  let outer: number[];
  if (batchA === batchB && outerA.join() === outerB.join()) outer = outerA;
  else if (batchB === 1 && outerB.length <= outerA.length) outer = outerA;
  else if (batchA === 1 && outerA.length <= outerB.length) outer = outerB;
  else return no(`batch dims [${outerA}] and [${outerB}] broadcast other than from one matrix`);
  const outShape = [...outer, m, n];
  if (outShape.length > 4) return no('output of rank > 4');
  let biasInfo: MatMulProblem['bias'];
  if (bias) {
    const bs = size(bias.shape);
    if (bias.shape.length > 4) return no('bias of rank > 4');
    if (!(bs === 1 || (bs === n && bias.shape[bias.shape.length - 1] === n)))
      return no(`bias shape [${bias.shape}] is not [${n}] or a scalar`);
    biasInfo = { size: bs };
  }
  const batch = Math.max(batchA, batchB);
  const base = {
    n,
    k: kA,
    transposeA,
    transposeB,
    outShape,
    bias: biasInfo,
    activation,
    leakyreluAlpha: call.leakyreluAlpha ?? 0.2,
  };
  // A [batch, M, K] row-major against one B: the batch is just more rows.
  if (batchB === 1 && batchA > 1 && !transposeA) {
    return { ok: true, problem: { ...base, batch: 1, m: batchA * m, strideA: 0, strideB: 0, folded: true } };
  }
  return {
    ok: true,
    problem: { ...base, batch, m, strideA: batchA === 1 ? 0 : m * kA, strideB: batchB === 1 ? 0 : kA * n, folded: false },
  };
}

/** Multiply-adds of a problem. */
export function problemMacs(p: MatMulProblem): number {
  return p.batch * p.m * p.n * p.k;
}
