// The kernel function shared by our BatchMatMul and _FusedMatMul: describe the call, plan it for this
// adapter, run our programs, or hand the call to TF.js's kernel (`previous`) where ours does not apply or
// is not expected to win.
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelFunc } from '../registry.js';
import { adapterProfile } from './adapter.js';
import { getMatMulOptions } from './options.js';
import { planMatMul } from './plan.js';
import { describeMatMul } from './problem.js';
import { runMatMul } from './run.js';

/**
 * Set on our matmul kernel functions. @adatosk/core looks for it (same Symbol.for key, in
 * core/src/ops/matmul.ts) to route the linear layer's gradients through transposeA/transposeB and its bias
 * through the fused epilogue, which on other kernels (WASM) are the slow paths.
 */
export const TRANSPOSE_FREE_MATMUL: unique symbol = Symbol.for('@adatosk/core/transpose-free-matmul') as never;

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

export function createMatMulKernel(kernelName: string, previous: KernelFunc | undefined): KernelFunc {
  const kernel: KernelFunc = (args) => {
    const backend = args.backend as unknown as WebGPUBackend;
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = (args.attrs ?? {}) as NamedAttrMap & MatMulAttrs;
    const handOver = (reason: string) => {
      if (!previous)
        throw new Error(
          `@adatosk/webgpu ${kernelName}: cannot run this product (${reason}) and TF.js registered no ${kernelName} kernel for webgpu to hand it to`,
        );
      return previous(args);
    };
    const check = describeMatMul({
      a: a!,
      b: b!,
      bias,
      preluActivationWeights,
      transposeA: attrs.transposeA === true,
      transposeB: attrs.transposeB === true,
      activation: attrs.activation,
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
    if (!check.ok) return handOver(check.reason);
    const plan = planMatMul(check.problem, adapterProfile(backend), getMatMulOptions());
    if (plan.kind === 'tfjs') return handOver(plan.reason);
    return runMatMul(backend, check.problem, { a: a!, b: b!, bias }, plan);
  };
  Object.defineProperty(kernel, TRANSPOSE_FREE_MATMUL, { value: true });
  return kernel;
}
