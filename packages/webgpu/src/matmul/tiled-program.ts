// The tiled matmul program: one workgroup per output tile (and per K split), register-tiled, double-
// buffered, 16-byte loads where the contiguous extent allows, bias + activation in the epilogue (or raw
// partial sums for the split-K reduce pass).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { activationFunction } from '../wgsl/activation.js';
import {
  accumulatorDeclarations,
  forEachOutput,
  operandStager,
  outputColumns,
  tileDeclarations,
  tileThreads,
  tiledMainLoop,
  type OutputSlot,
} from '../wgsl/matmul-tile.js';
import {
  bindingDeclarations,
  CustomProgram,
  tfjsUniformFields,
  uniformData,
  type UniformData,
  type UniformField,
} from '../wgsl/program.js';
import { plusLane, storeVec4 } from '../wgsl/vec4.js';
import type { MatMulProblem } from './problem.js';
import { TILES, type TileName } from './tiles.js';

/** The uniforms every product program starts with (tiled and dot): sizes and batch strides. */
export const PRODUCT_FIELDS: readonly UniformField[] = [
  { name: 'M', type: 'u32' },
  { name: 'N', type: 'u32' },
  { name: 'K', type: 'u32' },
  { name: 'strideA', type: 'u32' },
  { name: 'strideB', type: 'u32' },
];

/** Values of {@link PRODUCT_FIELDS} for `p`, and `alpha` (leakyrelu's slope) for programs that declare it. */
export function productUniforms(p: MatMulProblem): Record<string, number> {
  return { M: p.m, N: p.n, K: p.k, strideA: p.strideA, strideB: p.strideB, alpha: p.leakyreluAlpha };
}

const FIELDS: UniformField[] = [
  ...PRODUCT_FIELDS,
  { name: 'kChunk', type: 'u32' },
  { name: 'splits', type: 'u32' },
  { name: 'batch', type: 'u32' },
  { name: 'alpha', type: 'f32' },
];

/** `array<vec4<f32>>` for 16-byte access, else `array<f32>`. */
export const arrayOf = (vec4: boolean) => (vec4 ? 'array<vec4<f32>>' : 'array<f32>');

/** How operand widths allow 16-byte access (each needs its contiguous extent to be a multiple of 4). */
export function vectorWidths(p: MatMulProblem): { a: boolean; b: boolean; out: boolean; bias: boolean } {
  return {
    a: (p.transposeA ? p.m : p.k) % 4 === 0,
    b: (p.transposeB ? p.k : p.n) % 4 === 0,
    out: p.n % 4 === 0,
    bias: p.bias !== undefined && p.bias.size === p.n && p.n % 4 === 0,
  };
}

/** WGSL: the bias for the 4 columns from `col` (u32), as a vec4. */
export function biasVec4(p: MatMulProblem, vec: boolean, col: string): string {
  if (!p.bias) return 'vec4<f32>(0.0)';
  if (p.bias.size === 1) return 'vec4<f32>(bias[0])';
  if (vec) return `bias[min(${col} / 4u, arrayLength(&bias) - 1u)]`; // clamped: columns past N are masked
  return `vec4<f32>(${[0, 1, 2, 3].map((j) => `bias[min(${col} + ${j}u, N - 1u)]`).join(', ')})`;
}

/** WGSL statements storing `value` (vec4) at output row `row`, columns from `col`, masked to M x N. */
export function storeOutput(vecOut: boolean, base: string, row: string, col: string, value: string): string {
  const at = `${base} + ${row} * N + ${col}`;
  return storeVec4(
    { buffer: 'result', vec4: vecOut, index: vecOut ? `(${at}) / 4u` : at, inside: `${row} < M`, lane: (j) => `${plusLane(col, j)} < N` },
    value,
  );
}

export class AdaToskMatMulProgram extends CustomProgram {
  readonly uniforms: UniformData;

  /**
   * `splits` > 1 writes raw partial sums as [splits, batch * M, N] (the reduce pass adds bias and
   * activation); otherwise the epilogue applies them and writes the product as `problem.outShape`.
   */
  constructor(
    backend: WebGPUBackend,
    p: MatMulProblem,
    inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo },
    tileName: TileName,
    splits: number,
    kChunk: number,
  ) {
    const t = TILES[tileName];
    const partial = splits > 1;
    const vec = vectorWidths(p);
    const hasBias = !partial && inputs.bias !== undefined;
    const activation = partial ? 'linear' : p.activation;
    const ranks = [inputs.a.shape.length, inputs.b.shape.length, ...(hasBias ? [inputs.bias!.shape.length] : [])];
    const outputShape = partial ? [splits, p.batch * p.m, p.n] : p.outShape;
    const threads = tileThreads(t);
    const key = [
      'mm',
      tileName,
      p.transposeA ? 'tA' : 'A',
      p.transposeB ? 'tB' : 'B',
      vec.a ? 'va' : 'sa',
      vec.b ? 'vb' : 'sb',
      vec.out ? 'vo' : 'so',
      hasBias ? (p.bias!.size === 1 ? 'b1' : vec.bias ? 'bv' : 'bs') : 'nb',
      activation,
      partial ? 'part' : 'full',
    ].join('_');
    super(backend, {
      key,
      ranks: { inputs: ranks, output: outputShape.length },
      outputShape,
      dispatch: [Math.ceil(p.n / t.bn), Math.ceil(p.m / t.bm), p.batch * splits],
      workgroupSize: [threads, 1, 1],
      variableNames: hasBias ? ['A', 'B', 'bias'] : ['A', 'B'],
      source: () => {
        const stA = operandStager(t, 'A', {
          buffer: 'A',
          vec4: vec.a,
          kContiguous: !p.transposeA,
          base: 'batch * uniforms.strideA',
          ld: p.transposeA ? 'M' : 'K',
          outerStart: 'm0',
          outerEnd: 'M',
          kEnd: 'kEnd',
        });
        const stB = operandStager(t, 'B', {
          buffer: 'B',
          vec4: vec.b,
          kContiguous: p.transposeB,
          base: 'batch * uniforms.strideB',
          ld: p.transposeB ? 'K' : 'N',
          outerStart: 'n0',
          outerEnd: 'N',
          kEnd: 'kEnd',
        });
        // The bias of each column group, loaded once for all the invocation's rows.
        const biasLets = hasBias
          ? outputColumns(t, 'n0')
              .map((col, h) => `let biasCol${h} = ${biasVec4(p, vec.bias, col)};`)
              .join('\n')
          : '';
        const epilogue = (s: OutputSlot) => {
          let v = s.acc;
          if (hasBias) v = `(${v} + biasCol${s.colGroup})`;
          if (activation !== 'linear') v = `activation(${v})`;
          return storeOutput(vec.out, 'outBase', s.row, s.col, v);
        };
        return `
${tfjsUniformFields(ranks, outputShape.length, FIELDS)}
${bindingDeclarations([
  { name: 'result', access: 'read_write', type: arrayOf(vec.out) },
  { name: 'A', access: 'read', type: arrayOf(vec.a) },
  { name: 'B', access: 'read', type: arrayOf(vec.b) },
  hasBias ? { name: 'bias', access: 'read', type: arrayOf(vec.bias) } : undefined,
  { name: 'uniforms', uniform: 'Uniforms' },
])}

${tileDeclarations(t)}
${activation !== 'linear' ? activationFunction(activation) : ''}

@compute @workgroup_size(${threads}, 1, 1)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let M = uniforms.M;
  let N = uniforms.N;
  let K = uniforms.K;
  let split = wg.z % uniforms.splits;
  let batch = wg.z / uniforms.splits;
  let m0 = wg.y * ${t.bm}u;
  let n0 = wg.x * ${t.bn}u;
  let kBegin = split * uniforms.kChunk;
  let kEnd = min(K, kBegin + uniforms.kChunk);
  let numTiles = (kEnd - kBegin + ${t.bk - 1}u) / ${t.bk}u;
  let tx = li % ${t.bn / t.tn}u;
  let ty = li / ${t.bn / t.tn}u;
${accumulatorDeclarations(t)}
${tiledMainLoop(t, stA, stB, 'kBegin', 'numTiles')}
  let outBase = (split * uniforms.batch + batch) * M * N;
${biasLets}
${forEachOutput(t, 'm0', 'n0', epilogue)}
}
`;
      },
    });
    this.uniforms = uniformData(FIELDS, { ...productUniforms(p), kChunk, splits, batch: p.batch });
  }
}
