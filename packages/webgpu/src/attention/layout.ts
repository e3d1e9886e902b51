// The attention passes' view of their tensors in WGSL: the packed-QKV / head-major row layout, the
// uniforms, the loads and stores of one vec4 of a head row (zero past the token count or the head width)
// and the cooperative staging of a block of rows into workgroup memory. The register-level code (named
// registers, unrolled inner products, FMA accumulation, bounded vec4 access) comes from ../wgsl/vec4.ts,
// shared with the matmul kernels.
import { type Binding, uniformData, uniformStruct, type UniformData, type UniformField } from '../wgsl/program.js';
import { loadVec4, plusLane, storeVec4, type Vec4Access } from '../wgsl/vec4.js';

/**
 * Row layout of the tensors the kernels read and write, for head width `dh`:
 * - `qkv` [B, N, 3 * heads * dh]: per token, q, k and v of every head (part 0, 1, 2), head-major;
 * - `o` (the output), `dy` [B, N, heads * dh];
 * - row statistics (`lse`, `delta`) [B, heads, N].
 * With `dh % 4 == 0` the buffers are bound as `array<vec4<f32>>` (one 16-byte load per vec4);
 * otherwise as `array<f32>` with per-element bounds.
 */
export interface RowLayout {
  dh: number;
  dh4: number;
  vec4: boolean;
}

export function rowLayout(dh: number): RowLayout {
  return { dh, dh4: Math.ceil(dh / 4), vec4: dh % 4 === 0 };
}

/** The element type a head buffer is bound as. */
export function elementType(l: RowLayout): string {
  return l.vec4 ? 'vec4<f32>' : 'f32';
}

/** A head buffer's binding (`read_write` for outputs). */
export function headBinding(name: string, l: RowLayout, access: 'read' | 'read_write' = 'read'): Binding {
  return { name, access, type: `array<${elementType(l)}>` };
}

/** A row-statistics buffer's binding (`lse`, `delta`: one f32 per row). */
export function statBinding(name: string, access: 'read' | 'read_write' = 'read'): Binding {
  return { name, access, type: 'array<f32>' };
}

/** The uniforms every pass reads (`params.n`: tokens, `params.heads`, `params.scale`). */
const PARAMS: readonly UniformField[] = [
  { name: 'n', type: 'u32' },
  { name: 'heads', type: 'u32' },
  { name: 'scale', type: 'f32' },
  { name: 'pad', type: 'u32' },
];

export const PARAMS_STRUCT = uniformStruct('Params', PARAMS);

/** The binding of {@link PARAMS_STRUCT} (last in every pass). */
export const PARAMS_BINDING: Binding = { name: 'params', uniform: 'Params' };

/** TF.js's `makeUniforms` values matching {@link PARAMS_STRUCT}. */
export function paramsUniforms(n: number, heads: number, scale: number): UniformData {
  return uniformData(PARAMS, { n, heads, scale, pad: 0 });
}

/** Largest finite f32, standing in for -infinity in a running maximum (exp(-3.4e38 - x) is 0). */
export const NEG_BIG = '-3.402823e+38';

/** Floats 4c..4c+3 of head `h` in token `row` of batch `b`, block `part`: in bounds below n and dh. */
function headAccess(buffer: string, parts: number, l: RowLayout): Vec4Access {
  const rowBase = `((b * params.n + row) * ${parts}u + part) * params.heads + h`;
  return {
    buffer,
    vec4: l.vec4,
    index: l.vec4 ? `(${rowBase}) * ${l.dh4}u + c` : `(${rowBase}) * ${l.dh}u + c * 4u`,
    inside: 'row < params.n',
    lane: (k) => `${plusLane('c * 4u', k)} < ${l.dh}u`,
  };
}

/**
 * `fn <name>(part, b, row, h, c) -> vec4<f32>`: floats 4c..4c+3 of head `h` in token `row` of batch `b` of
 * `buffer`, whose rows hold `parts` blocks of heads * dh (3 for qkv, 1 for o and dy); `part` selects the
 * block. Zero when `row >= params.n` or past the head width.
 */
export function loadFn(name: string, buffer: string, parts: number, l: RowLayout): string {
  return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32) -> vec4<f32> {
  var v: vec4<f32>;
  ${loadVec4('v', headAccess(buffer, parts, l))}
  return v;
}`;
}

/** `fn <name>(part, b, row, h, c, v)`: the store matching {@link loadFn} (skips rows past n and lanes past dh). */
export function storeFn(name: string, buffer: string, parts: number, l: RowLayout): string {
  return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32, v: vec4<f32>) {
  ${storeVec4(headAccess(buffer, parts, l), 'v')}
}`;
}

/**
 * Statements: the workgroup's `threads` invocations (index `t`) copy rows `first`..`first + rows - 1` of the
 * head into workgroup memory, one vec4 each per step: `tiles` maps each workgroup array ([row][dh4]
 * vec4s) to the vec4 it holds, a WGSL expression of the token `r` and the vec4 column `c`.
 */
export function stageRows(l: RowLayout, rows: number, threads: number, first: string, tiles: Record<string, string>): string {
  const copies = Object.entries(tiles).map(([tile, value]) => `      ${tile}[e] = ${value};`);
  return `    for (var e = t; e < ${rows * l.dh4}u; e = e + ${threads}u) {
      let r = ${first} + e / ${l.dh4}u;
      let c = e % ${l.dh4}u;
${copies.join('\n')}
    }`;
}
