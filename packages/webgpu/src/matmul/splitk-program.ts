// The second pass of a split-K product: sums the [splits, batch * M, N] partial products, adds the bias,
// applies the activation and writes the output. Memory-bound: one vec4 per invocation where N allows.
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
import type { MatMulProblem } from './problem.js';
import { arrayOf, biasVec4, vectorWidths } from './tiled-program.js';

const FIELDS: UniformField[] = [
  { name: 'count', type: 'u32' },
  { name: 'N', type: 'u32' },
  { name: 'splits', type: 'u32' },
  { name: 'alpha', type: 'f32' },
];
const THREADS = 256;

export class AdaToskSplitKReduceProgram extends CustomProgram {
  readonly uniforms: UniformData;

  constructor(backend: WebGPUBackend, p: MatMulProblem, partial: TensorInfo, bias: TensorInfo | undefined, splits: number) {
    const vec = vectorWidths(p);
    const width = vec.out ? 4 : 1;
    const total = p.batch * p.m * p.n;
    const count = total / width;
    const groups = Math.ceil(count / THREADS);
    const maxDim = (backend as unknown as { device: GPUDevice }).device.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(groups, maxDim);
    const hasBias = bias !== undefined;
    const ranks = [partial.shape.length, ...(hasBias ? [bias.shape.length] : [])];
    const key = ['mmsplitk', vec.out ? 'v' : 's', hasBias ? (p.bias!.size === 1 ? 'b1' : vec.bias ? 'bv' : 'bs') : 'nb', p.activation].join(
      '_',
    );
    super(backend, {
      key,
      ranks: { inputs: ranks, output: p.outShape.length },
      outputShape: p.outShape,
      dispatch: [x, Math.ceil(groups / x), 1],
      workgroupSize: [THREADS, 1, 1],
      variableNames: hasBias ? ['partial', 'bias'] : ['partial'],
      source: () => {
        const col = vec.out ? '(i * 4u) % N' : 'i % N';
        let value = 'sum';
        if (hasBias) value = vec.out ? `(sum + ${biasVec4(p, vec.bias, 'col')})` : `(sum + ${biasVec4(p, false, 'col')}.x)`;
        if (p.activation !== 'linear') value = vec.out ? `activation(${value})` : `activation(vec4<f32>(${value})).x`;
        return `
${tfjsUniformFields(ranks, p.outShape.length, FIELDS)}
${bindingDeclarations([
  { name: 'result', access: 'read_write', type: arrayOf(vec.out) },
  { name: 'partial', access: 'read', type: arrayOf(vec.out) },
  hasBias ? { name: 'bias', access: 'read', type: arrayOf(vec.bias) } : undefined,
  { name: 'uniforms', uniform: 'Uniforms' },
])}
${p.activation !== 'linear' ? activationFunction(p.activation) : ''}

@compute @workgroup_size(${THREADS}, 1, 1)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wg.y * nwg.x + wg.x) * ${THREADS}u + li;
  let count = uniforms.count;
  if (i >= count) { return; }
  let N = uniforms.N;
  var sum = partial[i];
  for (var s = 1u; s < uniforms.splits; s++) { sum = sum + partial[s * count + i]; }
  let col = ${col};
  result[i] = ${value};
}
`;
      },
    });
    this.uniforms = uniformData(FIELDS, { count, N: p.n, splits, alpha: p.leakyreluAlpha });
  }
}
