// WGSL building blocks over vec4<f32> values, shared by the matmul tiles (matmul-tile.ts, src/matmul) and
// the attention passes (src/attention): named registers and their declarations, unrolled inner products
// and FMA accumulation over them, and bounded vec4 loads and stores of storage buffers.
//
// Registers are named variables (q0, q1, ... or acc_0_0, acc_0_1, ...) rather than a private array, and
// every loop over them is unrolled with constant indices: a dynamically indexed private array goes to
// local memory unless the compiler promotes it, and these are the operands of the innermost loops.

const ZERO = 'vec4<f32>(0.0)';

/** `expr` plus lane offset `k` (no `+ 0u`), a u32 WGSL expression. */
export function plusLane(expr: string, k: number): string {
  return k === 0 ? expr : `${expr} + ${k}u`;
}

/** Register names `${prefix}0 .. ${prefix}{count-1}`. */
export function registerNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, u) => `${prefix}${u}`);
}

/** A rows x cols block of register names `${prefix}_${r}_${c}` (row-major: `grid[r][c]`). */
export function registerGrid(prefix: string, rows: number, cols: number): string[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => `${prefix}_${r}_${c}`));
}

/**
 * `var r0 = init(0); var r1 = init(1); ...`, one per line (`let` for registers that are only read);
 * `init` defaults to zero.
 */
export function declareRegisters(
  names: readonly string[],
  init: (u: number) => string = () => ZERO,
  keyword: 'var' | 'let' = 'var',
  indent = '',
): string {
  return names.map((r, u) => `${indent}${keyword} ${r} = ${init(u)};`).join('\n');
}

/**
 * The inner product of registers `a` with vec4s `b(u)`: `(dot(a0, B(0)) + dot(a1, B(1))) + (...)`, summed
 * as a balanced tree so the adds form a chain of depth log2(count), not count - 1 (the dots are
 * independent; a left-to-right sum would serialise them behind one accumulator).
 */
export function unrolledDot(a: readonly string[], b: (u: number) => string): string {
  let terms = a.map((r, u) => `dot(${r}, ${b(u)})`);
  while (terms.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < terms.length; i += 2) next.push(i + 1 < terms.length ? `(${terms[i]} + ${terms[i + 1]})` : terms[i]!);
    terms = next;
  }
  return terms[0] ?? '0.0';
}

/**
 * `acc_u = fma(vec4<f32>(s), B(u), acc_u);` for every register: acc += s * row, `s` a scalar. One row of
 * a rank-1 update: the matmul tile's inner product runs it per output row with s = A[row][k], B(u) the
 * k-th row of B; the attention's P.V runs it per key with s = p_j, B(u) = v_j.
 */
export function fmaAccumulate(acc: readonly string[], s: string, b: (u: number) => string, indent = ''): string {
  return acc.map((r, u) => `${indent}${r} = fma(vec4<f32>(${s}), ${b(u)}, ${r});`).join('\n');
}

/** `r_u = r_u * s;` for every register. */
export function scaleRegisters(acc: readonly string[], s: string, indent = ''): string {
  return acc.map((r) => `${indent}${r} = ${r} * ${s};`).join('\n');
}

/**
 * Four consecutive floats of a storage buffer, with bounds. The buffer is `array<vec4<f32>>` when `vec4`
 * (its contiguous extent is a multiple of 4, so lane 0 in bounds means all four are), else `array<f32>`.
 */
export interface Vec4Access {
  buffer: string;
  vec4: boolean;
  /** u32 WGSL: the vec4's index (vec4 path) or the element index of its lane x (scalar path). */
  index: string;
  /** WGSL bool shared by the four lanes (e.g. the row is inside the matrix). */
  inside: string;
  /** WGSL bool: lane `k` is inside the contiguous extent (e.g. `col + k < N`). */
  lane: (k: number) => string;
}

const both = (a: string, b: string) => `${a} && ${b}`;

/**
 * `vec4<f32>(select(0.0, buf[min(index(0), last)], inBounds(0)), ...)`: four floats gathered one by one,
 * zero where out of bounds. The index is clamped into the buffer so no lane reads past it (Tint would clamp
 * anyway) and no lane needs a branch.
 */
export function gatherVec4(buffer: string, index: (k: number) => string, inBounds: (k: number) => string): string {
  const lanes = [0, 1, 2, 3].map((k) => `select(0.0, ${buffer}[min(${index(k)}, arrayLength(&${buffer}) - 1u)], ${inBounds(k)})`);
  return `vec4<f32>(${lanes.join(', ')})`;
}

/** Statements: `target` (a vec4<f32> variable) = the access's four floats, zero where out of bounds. */
export function loadVec4(target: string, a: Vec4Access): string {
  if (a.vec4) return `${target} = ${ZERO}; if (${both(a.inside, a.lane(0))}) { ${target} = ${a.buffer}[${a.index}]; }`;
  return `${target} = ${gatherVec4(
    a.buffer,
    (k) => plusLane(a.index, k),
    (k) => both(a.inside, a.lane(k)),
  )};`;
}

/** Statements: writes `value` (vec4<f32>) at the access, skipping what is out of bounds. */
export function storeVec4(a: Vec4Access, value: string): string {
  if (a.vec4) return `if (${both(a.inside, a.lane(0))}) { ${a.buffer}[${a.index}] = ${value}; }`;
  const lanes = [0, 1, 2, 3].map((k) => `if (${a.lane(k)}) { ${a.buffer}[${plusLane('storeAt', k)}] = stored[${k}]; }`);
  return `if (${a.inside}) { let stored = ${value}; let storeAt = ${a.index}; ${lanes.join(' ')} }`;
}
