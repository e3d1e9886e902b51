// The reduction ("dot") matmul program for tiny outputs with a long K (the classifier: [B, 768] . [768, C]):
// one workgroup per output row and 4 columns, its invocations striding over K, then one workgroup sum
// (a single subgroupAdd when the workgroup is one subgroup). The tiled kernel would run a handful of
// workgroups there, each walking all of K alone.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { activationFunction } from '../wgsl/activation.js';
import {
  bindingDeclarations,
  CustomProgram,
  tfjsUniformFields,
  uniformData,
  type UniformData,
  type UniformField,
} from '../wgsl/program.js';
import { workgroupSum } from '../wgsl/reduce.js';
import { gatherVec4 } from '../wgsl/vec4.js';
import { DOT_COLUMNS } from './plan.js';
import type { MatMulProblem } from './problem.js';
import { biasVec4, PRODUCT_FIELDS, productUniforms, storeOutput } from './tiled-program.js';

const FIELDS: UniformField[] = [...PRODUCT_FIELDS, { name: 'alpha', type: 'f32' }];

export class AdaToskDotMatMulProgram extends CustomProgram {
  readonly uniforms: UniformData;

  constructor(
    backend: WebGPUBackend,
    p: MatMulProblem,
    inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo },
    threads: number,
    subgroup: boolean,
  ) {
    const hasBias = inputs.bias !== undefined;
    const ranks = [inputs.a.shape.length, inputs.b.shape.length, ...(hasBias ? [inputs.bias!.shape.length] : [])];
    const key = [
      'mmdot',
      threads,
      subgroup ? 'sg' : 'wg',
      p.transposeA ? 'tA' : 'A',
      p.transposeB ? 'tB' : 'B',
      hasBias ? (p.bias!.size === 1 ? 'b1' : 'bs') : 'nb',
      p.activation,
    ].join('_');
    super(backend, {
      key,
      ranks: { inputs: ranks, output: p.outShape.length },
      outputShape: p.outShape,
      dispatch: [Math.ceil(p.n / DOT_COLUMNS), p.m, p.batch],
      workgroupSize: [threads, 1, 1],
      variableNames: hasBias ? ['A', 'B', 'bias'] : ['A', 'B'],
      source: () => {
        const sum = workgroupSum(threads, subgroup);
        const aIdx = p.transposeA ? 'aBase + k * M + m' : 'aBase + m * K + k';
        const bIdx = (j: number) => (p.transposeB ? `bBase + (n0 + ${j}u) * K + k` : `bBase + k * N + n0 + ${j}u`);
        let value = 'total';
        if (hasBias) value = `(${value} + ${biasVec4(p, false, 'n0')})`;
        if (p.activation !== 'linear') value = `activation(${value})`;
        return `${sum.enable}
${tfjsUniformFields(ranks, p.outShape.length, FIELDS)}
${bindingDeclarations([
  { name: 'result', access: 'read_write', type: 'array<f32>' },
  { name: 'A', access: 'read', type: 'array<f32>' },
  { name: 'B', access: 'read', type: 'array<f32>' },
  hasBias ? { name: 'bias', access: 'read', type: 'array<f32>' } : undefined,
  { name: 'uniforms', uniform: 'Uniforms' },
])}
${sum.declarations}
${p.activation !== 'linear' ? activationFunction(p.activation) : ''}

@compute @workgroup_size(${threads}, 1, 1)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let M = uniforms.M;
  let N = uniforms.N;
  let K = uniforms.K;
  let n0 = wg.x * ${DOT_COLUMNS}u;
  let m = wg.y;
  let aBase = wg.z * uniforms.strideA;
  let bBase = wg.z * uniforms.strideB;
  var acc = vec4<f32>(0.0);
  for (var k = li; k < K; k += ${threads}u) {
    acc = fma(vec4<f32>(A[${aIdx}]), ${gatherVec4('B', bIdx, (j) => `n0 + ${j}u < N`)}, acc);
  }
  ${sum.sum('acc', 'total')}
  if (li == 0u) {
    let outBase = wg.z * M * N;
    ${storeOutput(false, 'outBase', 'm', 'n0', value)}
  }
}
`;
      },
    });
    this.uniforms = uniformData(FIELDS, productUniforms(p));
  }
}
