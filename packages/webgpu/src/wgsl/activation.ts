// The activations of TF.js's fused matMul (`tf.fused.matMul({ activation })`), as a WGSL function on vec4,
// written as tfjs-backend-webgpu writes them so results match its kernel. `prelu` is not here: it takes a
// weights tensor, and our kernels hand it to TF.js's.

export type EpilogueActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

export const EPILOGUE_ACTIVATIONS: readonly EpilogueActivation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'];

export function isEpilogueActivation(a: unknown): a is EpilogueActivation {
  return typeof a === 'string' && (EPILOGUE_ACTIVATIONS as readonly string[]).includes(a);
}

const BODY: Record<EpilogueActivation, string> = {
  linear: 'return v;',
  relu: 'return select(v, vec4<f32>(0.0), v < vec4<f32>(0.0));',
  relu6: 'return clamp(v, vec4<f32>(0.0), vec4<f32>(6.0));',
  elu: 'return select(exp(v) - vec4<f32>(1.0), v, v >= vec4<f32>(0.0));',
  sigmoid: 'return vec4<f32>(1.0) / (vec4<f32>(1.0) + exp(-1.0 * v));',
  leakyrelu: 'return select(v, ALPHA * v, v < vec4<f32>(0.0));',
};

/** `fn activation(v: vec4<f32>) -> vec4<f32>`; `leakyrelu` reads `alphaExpr` (e.g. `uniforms.alpha`). */
export function activationFunction(activation: EpilogueActivation, alphaExpr = 'uniforms.alpha'): string {
  const body = activation === 'leakyrelu' ? BODY.leakyrelu.replace('ALPHA', alphaExpr) : BODY[activation];
  return `fn activation(v: vec4<f32>) -> vec4<f32> {\n  ${body}\n}`;
}
