// WGSL of the attention forward pass (flash-attention, one pass over the keys with an online softmax).
// Workgroup (x: block of `fwdRows` queries, y: head, z: batch), one thread per query row. Each thread
// keeps its scaled query row and its output accumulator in registers; the workgroup walks the keys in
// tiles of `fwdKeys` rows of K and V held in workgroup memory. Per tile a thread computes its scores
// (kept in workgroup memory, one column per thread), the tile's maximum, rescales its accumulator and
// running sum once, and adds p_j * v_j. The N x N scores never exist in GPU memory. It writes the output
// row divided by the running sum, and the row's logsumexp (max + log(sum)) for the backward pass.
// Q.K^T is an unrolled dot per key and P.V an FMA accumulation per key, the same register primitives
// (../wgsl/vec4.ts) as the matmul tile's inner product; why not the matmul tile itself: see
// docs/webgpu-attention.md, "Code shared with the matmul kernels" (one thread per row keeps the online
// softmax's row maximum and sum in the thread; the tile spreads a row over several invocations).
import { bindingDeclarations } from '../wgsl/program.js';
import { declareRegisters, fmaAccumulate, registerNames, scaleRegisters, unrolledDot } from '../wgsl/vec4.js';
import { NEG_BIG, PARAMS_BINDING, PARAMS_STRUCT, headBinding, loadFn, rowLayout, stageRows, statBinding, storeFn } from './layout.js';
import type { AttentionTiles } from './tiles.js';

export function forwardShader(t: AttentionTiles): string {
  const l = rowLayout(t.dh);
  const { dh4, fwdRows: R, fwdKeys: K } = t;
  const q = registerNames('q', dh4);
  const acc = registerNames('acc', dh4);
  const kAt = (u: number) => `kTile[j * ${dh4}u + ${u}u]`;
  const vAt = (u: number) => `vTile[j * ${dh4}u + ${u}u]`;
  return `
${PARAMS_STRUCT}
${bindingDeclarations([headBinding('o', l, 'read_write'), statBinding('lse', 'read_write'), headBinding('qkv', l), PARAMS_BINDING])}

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
${declareRegisters(q, (u) => `loadQKV(0u, b, i, h, ${u}u) * scale`, 'let', '  ')}
${declareRegisters(acc, undefined, 'var', '  ')}
  var m = ${NEG_BIG};
  var l = 0.0;
  for (var kb = 0u; kb < n; kb = kb + ${K}u) {
    workgroupBarrier();
${stageRows(l, K, R, 'kb', { kTile: 'loadQKV(1u, b, r, h, c)', vTile: 'loadQKV(2u, b, r, h, c)' })}
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
${scaleRegisters(acc, 'correction', '    ')}
    for (var j = 0u; j < count; j = j + 1u) {
      let p = exp(sTile[j * ${R}u + t] - mNew);
      l = l + p;
${fmaAccumulate(acc, 'p', vAt, '      ')}
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
