// WGSL of the attention backward (flash-attention-2): two passes that recompute the probabilities
// P = exp(s - lse) from Q, K and the forward's row logsumexp instead of reading a saved N x N matrix.
//   dQ pass   (workgroup: a block of query rows): D_i = rowsum(dO_i * O_i), then over key tiles
//             dP_ij = dO_i . v_j, dS_ij = P_ij (dP_ij - D_i), dQ_i += scale * dS_ij k_j. Writes dQ and D.
//   dK/dV pass (workgroup: a block of key rows, after the dQ pass): over query tiles
//             dV_j += P_ij dO_i, dK_j += dS_ij (scale q_i). Writes dK and dV.
// Each pass owns the rows it writes, so no atomics. `split` threads share a row, each keeping a slice of
// `slice4` vec4s of the head in registers; their partial inner products meet in workgroup memory.
// The inner products (s = q.k_j, dp = dO.v_j) and the accumulations (dQ, dK, dV) use the register
// primitives of ../wgsl/vec4.ts, shared with the matmul tile; see docs/webgpu-attention.md ("Code shared
// with the matmul kernels") for why not the matmul tile itself.
import { bindingDeclarations } from '../wgsl/program.js';
import { declareRegisters, fmaAccumulate, registerNames, scaleRegisters, unrolledDot } from '../wgsl/vec4.js';
import {
  PARAMS_BINDING,
  PARAMS_STRUCT,
  headBinding,
  loadFn,
  rowLayout,
  stageRows,
  statBinding,
  storeFn,
  type RowLayout,
} from './layout.js';
import { THREADS, type AttentionTiles } from './tiles.js';

/** The head-row accessors of both passes (`loadO` only in the dQ pass). */
function accessors(l: RowLayout, withO: boolean): string {
  const loads = [loadFn('loadQKV', 'qkv', 3, l), loadFn('loadDy', 'dy', 1, l), ...(withO ? [loadFn('loadO', 'o', 1, l)] : [])];
  return [...loads, storeFn('storeDQKV', 'dqkv', 3, l)].join('\n');
}

/** Shared opening of both passes' entry point: the thread's row and the vec4 columns of its slice. */
function sliceMain(t: AttentionTiles, rows: number): string {
  return `@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let part = t % ${t.split}u;
  let lrow = t / ${t.split}u;
  let row = wg.x * ${rows}u + lrow;
  let h = wg.y;
  let b = wg.z;
  let n = params.n;
  let scale = params.scale;
  let c0 = part * ${t.slice4}u;`;
}

/** Column (vec4 index in the head) of slice register u; past the head width the loads give zeros. */
const col = (u: number) => `c0 + ${u}u`;

/**
 * Slice register u's vec4 of tile entry j. When the slices overhang the head (split * slice4 > dh4) the
 * column is clamped into the row: the overhanging registers hold zeros in every inner product, and the
 * accumulators they feed are never stored.
 */
function tileAt(t: AttentionTiles, tile: string): (u: number) => string {
  const clamp = t.split * t.slice4 > t.dh4;
  return (u) => `${tile}[j * ${t.dh4}u + ${clamp ? `min(${col(u)}, ${t.dh4 - 1}u)` : col(u)}]`;
}

/**
 * Sums the `split` partial values of row `lrow` for tile entry `j` from workgroup array `x`, laid out
 * [entry][thread] so a thread's partials for consecutive entries do not collide in banks.
 */
function gather(t: AttentionTiles, x: string, j: string): string {
  return Array.from({ length: t.split }, (_, r) => `${x}[${j} * 64u + lrow * ${t.split}u + ${r}u]`).join(' + ');
}

/**
 * The per-entry step shared by both passes. With split == 1 the thread computes s and dp whole; with
 * split > 1 it first writes its partials for every entry of the tile, then (after a barrier) sums them.
 * `body` uses s, dp for entry j.
 */
function tileLoop(t: AttentionTiles, count: string, sPartial: string, dpPartial: string, body: string): string {
  if (t.split === 1) {
    return `
    for (var j = 0u; j < ${count}; j = j + 1u) {
      let s = ${sPartial};
      let dp = ${dpPartial};
${body}
    }`;
  }
  return `
    for (var j = 0u; j < ${count}; j = j + 1u) {
      xs[j * 64u + t] = ${sPartial};
      xdp[j * 64u + t] = ${dpPartial};
    }
    workgroupBarrier();
    for (var j = 0u; j < ${count}; j = j + 1u) {
      let s = ${gather(t, 'xs', 'j')};
      let dp = ${gather(t, 'xdp', 'j')};
${body}
    }`;
}

function exchangeArrays(t: AttentionTiles, entries: number): string {
  if (t.split === 1) return '';
  return `var<workgroup> xs: array<f32, ${Math.max(entries, 1) * 64}>;
var<workgroup> xdp: array<f32, ${Math.max(entries, 1) * 64}>;`;
}

/** dQ pass: outputs dqkv (part 0 written) and delta [B, heads, N]; inputs dy, qkv, o, lse. */
export function dqShader(t: AttentionTiles): string {
  const l = rowLayout(t.dh);
  const { dh4, slice4: S, dqRows: R, dqKeys: K } = t;
  const q = registerNames('q', S);
  const g = registerNames('g', S);
  const dq = registerNames('dq', S);
  const kAt = tileAt(t, 'kTile');
  const vAt = tileAt(t, 'vTile');
  const deltaExchange =
    t.split === 1
      ? `  let delta = partialDelta;`
      : `
  xs[t] = partialDelta;
  workgroupBarrier();
  let delta = ${gather(t, 'xs', '0u')};
  workgroupBarrier();`;
  return `
${PARAMS_STRUCT}
${bindingDeclarations([
  headBinding('dqkv', l, 'read_write'),
  statBinding('deltaOut', 'read_write'),
  headBinding('dy', l),
  headBinding('qkv', l),
  headBinding('o', l),
  statBinding('lse'),
  PARAMS_BINDING,
])}

var<workgroup> kTile: array<vec4<f32>, ${K * dh4}>;
var<workgroup> vTile: array<vec4<f32>, ${K * dh4}>;
${exchangeArrays(t, K)}

${accessors(l, true)}

${sliceMain(t, R)}
${declareRegisters(q, (u) => `loadQKV(0u, b, row, h, ${col(u)}) * scale`, 'let', '  ')}
${declareRegisters(g, (u) => `loadDy(0u, b, row, h, ${col(u)})`, 'let', '  ')}
${declareRegisters(dq, undefined, 'var', '  ')}
  let partialDelta = ${g.map((r, u) => `dot(${r}, loadO(0u, b, row, h, ${col(u)}))`).join(' + ')};
${deltaExchange}
  let stat = (b * params.heads + h) * n + row;
  var rowLse = 0.0;
  if (row < n) { rowLse = lse[stat]; }
  for (var kb = 0u; kb < n; kb = kb + ${K}u) {
    workgroupBarrier();
${stageRows(l, K, THREADS, 'kb', { kTile: 'loadQKV(1u, b, r, h, c)', vTile: 'loadQKV(2u, b, r, h, c)' })}
    workgroupBarrier();
    let count = min(${K}u, n - kb);
${tileLoop(
  t,
  'count',
  unrolledDot(q, kAt),
  unrolledDot(g, vAt),
  `
      let p = exp(s - rowLse);
      let ds = p * (dp - delta);
${fmaAccumulate(dq, 'ds', kAt, '      ')}`,
)}
  }
${scaleRegisters(dq, 'scale', '  ')}
${dq.map((r, u) => `  storeDQKV(0u, b, row, h, ${col(u)}, ${r});`).join('\n')}
  if (part == 0u && row < n) { deltaOut[stat] = delta; }
}
`;
}

/** dK/dV pass: output dqkv (parts 1 and 2 written); inputs dy, qkv, lse, delta. */
export function dkvShader(t: AttentionTiles): string {
  const l = rowLayout(t.dh);
  const { dh4, slice4: S, dkvRows: R, dkvQueries: Q } = t;
  const k = registerNames('k', S);
  const v = registerNames('v', S);
  const dk = registerNames('dk', S);
  const dv = registerNames('dv', S);
  const qAt = tileAt(t, 'qTile');
  const gAt = tileAt(t, 'gTile');
  return `
${PARAMS_STRUCT}
${bindingDeclarations([
  headBinding('dqkv', l, 'read_write'),
  headBinding('dy', l),
  headBinding('qkv', l),
  statBinding('lse'),
  statBinding('delta'),
  PARAMS_BINDING,
])}

var<workgroup> qTile: array<vec4<f32>, ${Q * dh4}>;
var<workgroup> gTile: array<vec4<f32>, ${Q * dh4}>;
var<workgroup> lseTile: array<f32, ${Q}>;
var<workgroup> deltaTile: array<f32, ${Q}>;
${exchangeArrays(t, Q)}

${accessors(l, false)}

${sliceMain(t, R)}
${declareRegisters(k, (u) => `loadQKV(1u, b, row, h, ${col(u)})`, 'let', '  ')}
${declareRegisters(v, (u) => `loadQKV(2u, b, row, h, ${col(u)})`, 'let', '  ')}
${declareRegisters([...dk, ...dv], undefined, 'var', '  ')}
  let stats = (b * params.heads + h) * n;
  for (var qb = 0u; qb < n; qb = qb + ${Q}u) {
    workgroupBarrier();
${stageRows(l, Q, THREADS, 'qb', { qTile: 'loadQKV(0u, b, r, h, c) * scale', gTile: 'loadDy(0u, b, r, h, c)' })}
    if (t < ${Q}u) {
      var ls = 0.0;
      var de = 0.0;
      if (qb + t < n) { ls = lse[stats + qb + t]; de = delta[stats + qb + t]; }
      lseTile[t] = ls;
      deltaTile[t] = de;
    }
    workgroupBarrier();
    let count = min(${Q}u, n - qb);
${tileLoop(
  t,
  'count',
  unrolledDot(k, qAt),
  unrolledDot(v, gAt),
  `
      let p = exp(s - lseTile[j]);
      let ds = p * (dp - deltaTile[j]);
${fmaAccumulate(dv, 'p', gAt, '      ')}
${fmaAccumulate(dk, 'ds', qAt, '      ')}`,
)}
  }
${dk.map((r, u) => `  storeDQKV(1u, b, row, h, ${col(u)}, ${r});`).join('\n')}
${dv.map((r, u) => `  storeDQKV(2u, b, row, h, ${col(u)}, ${r});`).join('\n')}
}
`;
}
