// WGSL generators for register-tiled matrix products: a workgroup computes a BM x BN tile of C = A.B,
// each invocation a TM x TN block of it held in registers, stepping through K in BK slices staged in
// double-buffered workgroup memory. Used by the matmul kernels (src/matmul). Built from the vec4
// primitives in vec4.ts (registers, FMA accumulation, bounded loads), which the attention passes share;
// the tile-level generators here do not fit the attention's inner products (one thread per query row,
// Q resident in registers, online softmax between Q.K^T and P.V: see docs/webgpu-attention.md, "Code
// shared with the matmul kernels").
//
// Conventions of the generated code:
// - A is logically [M, K] and B [K, N]. In memory each operand is either "k-contiguous" (A row-major,
//   B transposed) or "outer-contiguous" (A transposed, B row-major); both are read with 16-byte loads
//   when the contiguous extent is a multiple of 4, and both land in workgroup memory as [k][outer]
//   vec4 rows, so the inner loop reads vec4s of A and B only.
// - Invocation `li` (local_invocation_index) is (tx, ty) = (li % WN, li / WN) with WN = BN / TN. It owns
//   rows {g * WM * 4 + ty * 4 + i} and columns {h * WN * 4 + tx * 4 + j} (i, j < 4): vec4 groups spread
//   over the tile, so 16 neighbouring invocations read 16 consecutive vec4s of B (no bank conflicts) and
//   share their vec4 of A (a broadcast).
// - Everything inside a tile is unrolled with constant indices: accumulators and fragments stay in
//   registers (a dynamically indexed private array would go to local memory).
import { declareRegisters, fmaAccumulate, loadVec4, plusLane, registerGrid, registerNames, type Vec4Access } from './vec4.js';

/** A workgroup tile: BM x BN outputs, K in slices of BK, TM x TN outputs per invocation. */
export interface TileShape {
  bm: number;
  bn: number;
  bk: number;
  tm: number;
  tn: number;
}

export function tileThreads(t: TileShape): number {
  return (t.bm / t.tm) * (t.bn / t.tn);
}

/** Bytes of workgroup memory for both stages of A and B. */
export function tileWorkgroupBytes(t: TileShape): number {
  return 2 * t.bk * (t.bm + t.bn) * 4;
}

const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Throws when the generators cannot emit `t` (sizes must be powers of two, micro-tiles multiples of 4). */
export function validateTile(t: TileShape): void {
  const bad = (why: string) => new Error(`tile ${t.bm}x${t.bn}x${t.bk} (${t.tm}x${t.tn} per invocation): ${why}`);
  for (const [k, v] of Object.entries(t)) if (!pow2(v)) throw bad(`${k}=${v} is not a power of two`);
  if (t.tm % 4 || t.tn % 4) throw bad('TM and TN must be multiples of 4');
  if (t.bk < 4) throw bad('BK must be at least 4');
  if (t.bm < t.tm || t.bn < t.tn) throw bad('the micro-tile is larger than the tile');
  if (tileThreads(t) < 16) throw bad('fewer than 16 invocations');
}

const u = (n: number) => `${n}u`;

/** Workgroup arrays for both stages: `${p}As` ([2][BK][BM/4] vec4) and `${p}Bs` ([2][BK][BN/4] vec4). */
export function tileDeclarations(t: TileShape, p = ''): string {
  return [
    `var<workgroup> ${p}As: array<vec4<f32>, ${(2 * t.bk * t.bm) / 4}>;`,
    `var<workgroup> ${p}Bs: array<vec4<f32>, ${(2 * t.bk * t.bn) / 4}>;`,
  ].join('\n');
}

/** Where one operand's K x outer block comes from. All expressions are WGSL u32 in scope of `main`. */
export interface OperandSource {
  /** Storage buffer: `array<vec4<f32>>` when `vec4`, else `array<f32>`. */
  buffer: string;
  vec4: boolean;
  /** True when consecutive k are adjacent in memory (A row-major, B transposed). */
  kContiguous: boolean;
  /** Element offset of this operand's matrix (batch slice). */
  base: string;
  /** Elements between consecutive storage rows (K when k-contiguous, else the outer extent). */
  ld: string;
  /** First outer index (row of A / column of B) of the tile, and the outer extent. */
  outerStart: string;
  outerEnd: string;
  /** K is read up to here (exclusive). */
  kEnd: string;
}

/** One operand's staging code: global -> registers (`load`) and registers -> workgroup memory (`store`). */
export interface OperandStager {
  /** Per-invocation constants and the staging registers; emit once, before the K loop. */
  setup: string;
  /** Reads the slice starting at k = `k0` (a u32 expression) into the registers. */
  load: (k0: string) => string;
  /** Writes the registers into stage `stage` (a u32 expression, 0 or 1). */
  store: (stage: string) => string;
}

/**
 * Staging code for operand `which` ('A': outer = M, tile BM; 'B': outer = N, tile BN) of tile `t`.
 * Loads are spread evenly over the invocations, 4 elements each.
 */
export function operandStager(t: TileShape, which: 'A' | 'B', src: OperandSource, p = ''): OperandStager {
  const outerTile = which === 'A' ? t.bm : t.bn;
  const smem = `${p}${which}s`;
  const stageSize = (t.bk * outerTile) / 4;
  const threads = tileThreads(t);
  const chunks = (t.bk * outerTile) / 4; // vec4 chunks per slice
  const slots = Math.ceil(chunks / threads);
  const guarded = chunks % threads !== 0;
  const r = `${p}st${which}`;
  const setup: string[] = [];
  const loads: string[] = [];
  const stores: string[] = [];
  for (let s = 0; s < slots; s++) {
    const q = `(li + ${u(s * threads)})`;
    const reg = `${r}${s}`;
    setup.push(declareRegisters([reg]));
    const guardOpen = guarded ? `if (${q} < ${u(chunks)}) {` : '{';
    let access: Vec4Access;
    if (src.kContiguous) {
      // Slot covers storage row o (outer index), k from kq * 4.
      const per = t.bk / 4;
      setup.push(`let ${reg}o = ${q} / ${u(per)};`, `let ${reg}k = (${q} % ${u(per)}) * 4u;`);
      setup.push(`let ${reg}row = ${src.outerStart} + ${reg}o;`, `let ${reg}base = ${src.base} + ${reg}row * ${src.ld} + ${reg}k;`);
      access = {
        buffer: src.buffer,
        vec4: src.vec4,
        index: src.vec4 ? `(${reg}base + K0) / 4u` : `${reg}base + K0`,
        inside: `${reg}row < ${src.outerEnd}`,
        lane: (c) => `${plusLane(`(K0 + ${reg}k)`, c)} < ${src.kEnd}`,
      };
      const cs = [0, 1, 2, 3].map(
        (c) => `${smem}[S0 + (${reg}k + ${u(c)}) * ${u(outerTile / 4)} + ${reg}o / 4u][${reg}o % 4u] = ${reg}[${c}];`,
      );
      stores.push(`${guardOpen} ${cs.join(' ')} }`);
    } else {
      // Slot covers k row kr, outer from o4 * 4.
      const per = outerTile / 4;
      setup.push(`let ${reg}kr = ${q} / ${u(per)};`, `let ${reg}o4 = ${q} % ${u(per)};`);
      setup.push(`let ${reg}col = ${src.outerStart} + ${reg}o4 * 4u;`, `let ${reg}base = ${src.base} + ${reg}col;`);
      const kRow = `(K0 + ${reg}kr)`;
      access = {
        buffer: src.buffer,
        vec4: src.vec4,
        index: src.vec4 ? `(${reg}base + ${kRow} * ${src.ld}) / 4u` : `${reg}base + ${kRow} * ${src.ld}`,
        inside: `${kRow} < ${src.kEnd}`,
        lane: (c) => `${plusLane(`${reg}col`, c)} < ${src.outerEnd}`,
      };
      stores.push(`${guardOpen} ${smem}[S0 + ${reg}kr * ${u(outerTile / 4)} + ${reg}o4] = ${reg}; }`);
    }
    loads.push(`${guardOpen} ${loadVec4(reg, access)} }`);
  }
  return {
    setup: setup.join('\n'),
    load: (k0) => `{ let K0 = ${k0};\n${loads.join('\n')} }`,
    store: (stage) => `{ let S0 = (${stage}) * ${u(stageSize)};\n${stores.join('\n')} }`,
  };
}

/** The accumulator registers `acc_r_h` of an invocation: row r < TM, column group h < TN/4. */
function accumulators(t: TileShape): string[][] {
  return registerGrid('acc', t.tm, t.tn / 4);
}

/** The accumulator registers, zeroed. */
export function accumulatorDeclarations(t: TileShape): string {
  return declareRegisters(accumulators(t).flat());
}

/**
 * acc += A_slice . B_slice for the slice in stage `stage` (u32 expression): BK rank-1 updates, each
 * TM/4 + TN/4 vec4 reads of workgroup memory for TM * TN fused multiply-adds. Needs `tx`, `ty` in scope.
 */
export function innerProduct(t: TileShape, stage: string, p = ''): string {
  const wm = t.bm / t.tm;
  const wn = t.bn / t.tn;
  const acc = accumulators(t);
  const a = registerNames('a', t.tm / 4);
  const b = registerNames('b', t.tn / 4);
  const lines = [`let ${p}aRd = (${stage}) * ${u((t.bk * t.bm) / 4)} + ty;`, `let ${p}bRd = (${stage}) * ${u((t.bk * t.bn) / 4)} + tx;`];
  for (let k = 0; k < t.bk; k++) {
    const body = [
      declareRegisters(a, (g) => `${p}As[${p}aRd + ${u(k * (t.bm / 4) + g * wm)}]`, 'let'),
      declareRegisters(b, (h) => `${p}Bs[${p}bRd + ${u(k * (t.bn / 4) + h * wn)}]`, 'let'),
    ];
    // Row g * 4 + i of the micro-tile: += A[row][k] * (row k of B's slice).
    for (let row = 0; row < t.tm; row++) body.push(fmaAccumulate(acc[row]!, `${a[row >> 2]}[${row & 3}]`, (h) => b[h]!));
    lines.push(`{\n${body.join('\n')}\n}`);
  }
  return lines.join('\n');
}

/** One output vec4 of an invocation: its accumulator and WGSL (u32) expressions of its row and first column. */
export interface OutputSlot {
  acc: string;
  row: string;
  col: string;
  /** Which of the invocation's TN/4 column groups (the same for every row: hoist per-column values). */
  colGroup: number;
}

/** The first column (u32 WGSL expression) of each of an invocation's TN/4 column groups; needs `tx`. */
export function outputColumns(t: TileShape, colStart: string): string[] {
  const wn = t.bn / t.tn;
  return Array.from({ length: t.tn / 4 }, (_, h) => `(${colStart} + tx * 4u + ${u(h * wn * 4)})`);
}

/**
 * Calls `emit` for every output vec4 an invocation owns. Rows and columns are relative to `rowStart` and
 * `colStart` (the tile's origin, u32 expressions); needs `tx`, `ty` in scope.
 */
export function forEachOutput(t: TileShape, rowStart: string, colStart: string, emit: (slot: OutputSlot) => string): string {
  const wm = t.bm / t.tm;
  const wn = t.bn / t.tn;
  const acc = accumulators(t);
  const out = [`let outRow0 = ${rowStart} + ty * 4u;`, `let outCol0 = ${colStart} + tx * 4u;`];
  for (let g = 0; g < t.tm / 4; g++)
    for (let i = 0; i < 4; i++)
      for (let h = 0; h < t.tn / 4; h++)
        out.push(
          `{\n${emit({ acc: acc[g * 4 + i]![h]!, row: `(outRow0 + ${u(g * wm * 4 + i)})`, col: `(outCol0 + ${u(h * wn * 4)})`, colGroup: h })}\n}`,
        );
  return out.join('\n');
}

/**
 * The double-buffered main loop over `numTiles` slices from `kStart`: prefetch slice t+1 into registers,
 * multiply slice t from workgroup memory, store slice t+1 into the other stage, one barrier per slice.
 * `numTiles` must be uniform over the workgroup (barriers).
 */
export function tiledMainLoop(t: TileShape, a: OperandStager, b: OperandStager, kStart: string, numTiles: string, p = ''): string {
  return `
${a.setup}
${b.setup}
if (${numTiles} > 0u) {
  ${a.load(kStart)}
  ${b.load(kStart)}
  ${a.store('0u')}
  ${b.store('0u')}
}
workgroupBarrier();
for (var kt = 0u; kt < ${numTiles}; kt++) {
  let cur = kt & 1u;
  let hasNext = kt + 1u < ${numTiles};
  if (hasNext) {
    let kNext = ${kStart} + (kt + 1u) * ${u(t.bk)};
    ${a.load('kNext')}
    ${b.load('kNext')}
  }
  ${innerProduct(t, 'cur', p)}
  if (hasNext) {
    ${a.store('1u - cur')}
    ${b.store('1u - cur')}
  }
  workgroupBarrier();
}`;
}
