// WGSL of the attention forward pass (flash-attention, one pass over the keys with an online softmax).
// Workgroup (x: block of `fwdRows` queries, y: head, z: batch), one thread per query row. Each thread
// keeps its scaled query row and its output accumulator in registers; the workgroup walks the keys in
// tiles of `fwdKeys` rows of K and V held in workgroup memory. Per tile a thread computes its scores
// (kept in workgroup memory, one column per thread), the tile's maximum, rescales its accumulator and
// running sum once, and adds p_j * v_j. The N x N scores never exist in GPU memory. It writes the output
// row divided by the running sum, and the row's logsumexp (max + log(sum)) for the backward pass.
import type { AttentionTiles } from './tiles.js';
import { NEG_BIG, PARAMS_STRUCT, declare, elementType, loadFn, regs, rowLayout, storeFn, unrolledAxpy, unrolledDot, unrolledScale } from './wgsl.js';

export function forwardShader(t: AttentionTiles): string {
  const l = rowLayout(t.dh);
  const { dh4, fwdRows: R, fwdKeys: K } = t;
  const q = regs('q', dh4);
  const acc = regs('acc', dh4);
  const kAt = (u: number) => `kTile[j * ${dh4}u + ${u}u]`;
  const vAt = (u: number) => `vTile[j * ${dh4}u + ${u}u]`;
  return `
${PARAMS_STRUCT}
@group(0) @binding(0) var<storage, read_write> o: array<${elementType(l)}>;
@group(0) @binding(1) var<storage, read_write> lse: array<f32>;
@group(0) @binding(2) var<storage, read> qkv: array<${elementType(l)}>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> kTile: array<vec4<f32>, ${K * dh4}>;
var<workgroup> vTile: array<vec4<f32>, ${K * dh4}>;
var<workgroup> sTile: array<f32, ${K * R}>;

${loadFn('loadQKV', 'qkv', 3, l)}
${storeFn('storeO', 'o', 1, l)}

@compute @workgroup_size(${R})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let n = params.n;
  let h = wg.y;
  let b = wg.z;
  let i = wg.x * ${R}u + t;
  let scale = params.scale;
${declare(q, (u) => `loadQKV(0u, b, i, h, ${u}u) * scale`, 'let')}
${declare(acc, () => 'vec4<f32>(0.0)')}
  var m = ${NEG_BIG};
  var l = 0.0;
  for (var kb = 0u; kb < n; kb = kb + ${K}u) {
    workgroupBarrier();
    for (var e = t; e < ${K * dh4}u; e = e + ${R}u) {
      let r = kb + e / ${dh4}u;
      let c = e % ${dh4}u;
      kTile[e] = loadQKV(1u, b, r, h, c);
      vTile[e] = loadQKV(2u, b, r, h, c);
    }
    workgroupBarrier();
    let count = min(${K}u, n - kb);
    var tileMax = ${NEG_BIG};
    for (var j = 0u; j < count; j = j + 1u) {
      let s = ${unrolledDot(q, kAt)};
      sTile[j * ${R}u + t] = s;
      tileMax = max(tileMax, s);
    }
    let mNew = max(m, tileMax);
    let correction = exp(m - mNew);
    l = l * correction;
${unrolledScale(acc, 'correction')}
    for (var j = 0u; j < count; j = j + 1u) {
      let p = exp(sTile[j * ${R}u + t] - mNew);
      l = l + p;
${unrolledAxpy(acc, 'p', vAt)}
    }
    m = mNew;
  }
  if (i < n) {
    let inv = 1.0 / l;
${acc.map((r, u) => `    storeO(0u, b, i, h, ${u}u, ${r} * inv);`).join('\n')}
    lse[(b * params.heads + h) * n + i] = m + log(l);
  }
}
`;
}
