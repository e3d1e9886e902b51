// WGSL building blocks shared by the attention passes: the packed-QKV / head-major row layout, loads and
// stores of one vec4 of a head row (zero past the token count or the head width), and the unrolled inner
// products over a head slice held in named registers. The inner products are written out statement by
// statement (registers q0, q1, ... rather than an array) so no compiler has to promote a private array to
// registers for the rows to stay out of local memory.

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

/** The uniforms every pass reads (`params.n`: tokens, `params.heads`, `params.scale`). */
export const PARAMS_STRUCT = `struct Params { n: u32, heads: u32, scale: f32, pad: u32 }`;

/** TF.js's `makeUniforms` values matching {@link PARAMS_STRUCT}. */
export function paramsUniforms(n: number, heads: number, scale: number): { type: 'uint32' | 'float32'; data: number[] }[] {
  return [{ type: 'uint32', data: [n] }, { type: 'uint32', data: [heads] }, { type: 'float32', data: [scale] }, { type: 'uint32', data: [0] }];
}

/** Largest finite f32, standing in for -infinity in a running maximum (exp(-3.4e38 - x) is 0). */
export const NEG_BIG = '-3.402823e+38';

/**
 * `fn <name>(b, row, h, c) -> vec4<f32>`: floats 4c..4c+3 of head `h` in token `row` of batch `b` of
 * `buffer`, whose rows hold `parts` blocks of heads * dh (3 for qkv, 1 for o and dy); `part` selects the
 * block. Zero when `row >= params.n` or past the head width.
 */
export function loadFn(name: string, buffer: string, parts: number, l: RowLayout): string {
  const rowBase = `((b * params.n + row) * ${parts}u + part) * params.heads + h`;
  if (l.vec4) {
    return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32) -> vec4<f32> {
  if (row >= params.n || c >= ${l.dh4}u) { return vec4<f32>(0.0); }
  return ${buffer}[(${rowBase}) * ${l.dh4}u + c];
}`;
  }
  const lanes = ['x', 'y', 'z', 'w']
    .map((lane, k) => `  if (c * 4u + ${k}u < ${l.dh}u) { v.${lane} = ${buffer}[base + ${k}u]; }`)
    .join('\n');
  return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  if (row >= params.n) { return v; }
  let base = (${rowBase}) * ${l.dh}u + c * 4u;
${lanes}
  return v;
}`;
}

/** `fn <name>(part, b, row, h, c, v)`: the store matching {@link loadFn} (skips rows past n and lanes past dh). */
export function storeFn(name: string, buffer: string, parts: number, l: RowLayout): string {
  const rowBase = `((b * params.n + row) * ${parts}u + part) * params.heads + h`;
  if (l.vec4) {
    return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32, v: vec4<f32>) {
  if (row >= params.n || c >= ${l.dh4}u) { return; }
  ${buffer}[(${rowBase}) * ${l.dh4}u + c] = v;
}`;
  }
  const lanes = ['x', 'y', 'z', 'w']
    .map((lane, k) => `  if (c * 4u + ${k}u < ${l.dh}u) { ${buffer}[base + ${k}u] = v.${lane}; }`)
    .join('\n');
  return `fn ${name}(part: u32, b: u32, row: u32, h: u32, c: u32, v: vec4<f32>) {
  if (row >= params.n) { return; }
  let base = (${rowBase}) * ${l.dh}u + c * 4u;
${lanes}
}`;
}

/** Register names `${prefix}0 .. ${prefix}{count-1}`. */
export function regs(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, u) => `${prefix}${u}`);
}

/** `var r0 = init(0); var r1 = init(1); ...` (`let` for registers that are only read). */
export function declare(names: string[], init: (u: number) => string, keyword: 'var' | 'let' = 'var'): string {
  return names.map((r, u) => `  ${keyword} ${r} = ${init(u)};`).join('\n');
}

/**
 * The inner product of registers `a` with vec4s `b(u)`: `(dot(a0, B(0)) + dot(a1, B(1))) + (...)`, summed
 * as a balanced tree so the adds form a chain of depth log2(count), not count - 1 (the dots are
 * independent; a left-to-right sum would serialise them behind one accumulator).
 */
export function unrolledDot(a: string[], b: (u: number) => string): string {
  let terms = a.map((r, u) => `dot(${r}, ${b(u)})`);
  while (terms.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < terms.length; i += 2) next.push(i + 1 < terms.length ? `(${terms[i]} + ${terms[i + 1]})` : terms[i]!);
    terms = next;
  }
  return terms[0] ?? '0.0';
}

/** `acc_u = fma(vec4<f32>(s), B(u), acc_u);` for every register: acc += s * row. */
export function unrolledAxpy(acc: string[], s: string, b: (u: number) => string): string {
  return acc.map((r, u) => `      ${r} = fma(vec4<f32>(${s}), ${b(u)}, ${r});`).join('\n');
}

/** `r_u = r_u * s;` for every register. */
export function unrolledScale(acc: string[], s: string): string {
  return acc.map((r) => `    ${r} = ${r} * ${s};`).join('\n');
}
