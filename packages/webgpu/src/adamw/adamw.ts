// AdaToskAdamW on WebGPU: one TF.js kernel updates every parameter and both moments, with the global-norm
// clip folded in. TF.js binds each tensor as a whole buffer and a program writes one output, so the kernel
// runs three small elementwise dispatches per parameter (new value, first moment, second moment), all from
// the old state: the arithmetic is the composite's, in the same order, on float32 uniforms computed the same
// way, so results agree with AdamW on the CPU to float32 rounding.
import type * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ADAMW_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { f32, i32, program, runProgram, sizeOf, webgpu } from '../kernel-utils/program.js';

const WG = 256;

type Target = 'p' | 'm' | 'v';

interface AdamWAttrs {
  count: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  sqrtBc2: number;
  maxNorm: number;
  decayFactor: number[];
  stepSize: number[];
}

function updateProgram(target: Target, clip: boolean, shape: readonly number[], size: number) {
  const inputs = target === 'p' ? ['p', 'g', 'm', 'v'] : target === 'm' ? ['g', 'm'] : ['g', 'v'];
  if (clip) inputs.push('norm');
  const grad = clip ? 'g[index] * min(uniforms.maxNorm / (norm[0] + 1e-6), 1.0)' : 'g[index]';
  const m1 = 'm[index] * uniforms.beta1 + gi * uniforms.oneMinusBeta1';
  const v1 = 'v[index] * uniforms.beta2 + (gi * gi) * uniforms.oneMinusBeta2';
  const value =
    target === 'm'
      ? `${m1}`
      : target === 'v'
        ? `${v1}`
        : `p[index] * uniforms.decay - (m1 / (sqrt(v1) / uniforms.sqrtBc2 + uniforms.epsilon)) * uniforms.stepSize`;
  return program({
    key: `adamw_${target}_${clip ? 'clip' : 'noclip'}_${WG}`,
    inputs,
    outputShape: shape,
    workgroups: Math.ceil(size / WG),
    workgroupSize: WG,
    uniforms:
      'n : i32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, sqrtBc2 : f32, epsilon : f32, decay : f32, stepSize : f32, maxNorm : f32,',
    body: `
  fn main(index : i32) {
    if (index >= uniforms.n) { return; }
    let gi = ${grad};
    ${target === 'p' ? `let m1 = ${m1};\n    let v1 = ${v1};` : ''}
    result[index] = ${value};
  }`,
  });
}

/** New parameter, first and second moment of one parameter tensor. */
function updateOne(
  backend: WebGPUBackend,
  a: AdamWAttrs,
  i: number,
  t: Record<'p' | 'g' | 'm' | 'v', tf.TensorInfo>,
  norm: tf.TensorInfo | undefined,
): [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo] {
  const size = sizeOf(t.p.shape);
  const clip = norm !== undefined;
  const uniforms = [
    i32(size),
    f32(a.beta1),
    f32(1 - a.beta1),
    f32(a.beta2),
    f32(1 - a.beta2),
    f32(a.sqrtBc2),
    f32(a.epsilon),
    f32(a.decayFactor[i]!),
    f32(a.stepSize[i]!),
    f32(a.maxNorm),
  ];
  const extra = clip ? [norm] : [];
  const p = runProgram(backend, updateProgram('p', clip, t.p.shape, size), [t.p, t.g, t.m, t.v, ...extra], uniforms);
  const m = runProgram(backend, updateProgram('m', clip, t.p.shape, size), [t.g, t.m, ...extra], uniforms);
  const v = runProgram(backend, updateProgram('v', clip, t.p.shape, size), [t.g, t.v, ...extra], uniforms);
  return [p, m, v];
}

registerWebGPUKernel({
  kernelName: ADAMW_KERNEL,
  description: 'AdamW for every parameter with the global-norm clip folded in (one kernel, three dispatches per tensor)',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as AdamWAttrs;
      const map = inputs as Record<string, tf.TensorInfo>;
      const b = webgpu(backend);
      const norm = a.maxNorm > 0 ? map.norm : undefined;
      if (a.maxNorm > 0 && norm === undefined) throw new Error(`${ADAMW_KERNEL}: maxNorm is ${a.maxNorm} but no 'norm' input was given`);
      const ps: tf.TensorInfo[] = [];
      const ms: tf.TensorInfo[] = [];
      const vs: tf.TensorInfo[] = [];
      for (let i = 0; i < a.count; i++) {
        const [p, m, v] = updateOne(b, a, i, { p: map[`p${i}`]!, g: map[`g${i}`]!, m: map[`m${i}`]!, v: map[`v${i}`]! }, norm);
        ps.push(p);
        ms.push(m);
        vs.push(v);
      }
      return [...ps, ...ms, ...vs];
    },
});
