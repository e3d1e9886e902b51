// A float64 reference of multi-head attention on packed q, k, v ([B, N, 3 * heads * dh], head-major):
// the forward with the row logsumexp, and the backward from (dy, qkv, out, lse), written out loop by
// loop. It defines the contract of the AdaToskAttention / AdaToskAttentionGrad kernels that
// @adatosk/webgpu implements, and stands in for them on the CPU in the tests.

export interface RefShape {
  batch: number;
  tokens: number;
  heads: number;
  dh: number;
  scale: number;
}

const at = (s: RefShape, b: number, i: number, part: number, h: number, d: number) =>
  ((b * s.tokens + i) * 3 + part) * s.heads * s.dh + h * s.dh + d;
const outAt = (s: RefShape, b: number, i: number, h: number, d: number) => (b * s.tokens + i) * s.heads * s.dh + h * s.dh + d;

/** softmax(scale q k^T) over keys for query i of (b, h), as float64. */
function probs(s: RefShape, qkv: ArrayLike<number>, b: number, h: number, i: number): { p: Float64Array; lse: number } {
  const logits = new Float64Array(s.tokens);
  for (let j = 0; j < s.tokens; j++) {
    let dot = 0;
    for (let d = 0; d < s.dh; d++) dot += qkv[at(s, b, i, 0, h, d)] * qkv[at(s, b, j, 1, h, d)];
    logits[j] = dot * s.scale;
  }
  const max = Math.max(...logits);
  let sum = 0;
  for (let j = 0; j < s.tokens; j++) sum += Math.exp(logits[j] - max);
  const p = logits.map((x) => Math.exp(x - max) / sum);
  return { p, lse: max + Math.log(sum) };
}

/** Output [B, N, heads * dh] and logsumexp [B, heads, N]. */
export function referenceForward(s: RefShape, qkv: ArrayLike<number>): { out: Float64Array; lse: Float64Array } {
  const out = new Float64Array(s.batch * s.tokens * s.heads * s.dh);
  const lse = new Float64Array(s.batch * s.heads * s.tokens);
  for (let b = 0; b < s.batch; b++)
    for (let h = 0; h < s.heads; h++)
      for (let i = 0; i < s.tokens; i++) {
        const r = probs(s, qkv, b, h, i);
        lse[(b * s.heads + h) * s.tokens + i] = r.lse;
        for (let d = 0; d < s.dh; d++) {
          let acc = 0;
          for (let j = 0; j < s.tokens; j++) acc += r.p[j] * qkv[at(s, b, j, 2, h, d)];
          out[outAt(s, b, i, h, d)] = acc;
        }
      }
  return { out, lse };
}

/**
 * d(qkv) from dy, recomputing P = exp(scale q k^T - lse) from the saved logsumexp and using
 * D_i = rowsum(dy_i * out_i), as the flash-attention backward does.
 */
export function referenceBackward(
  s: RefShape,
  dy: ArrayLike<number>,
  qkv: ArrayLike<number>,
  out: ArrayLike<number>,
  lse: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(qkv.length);
  for (let b = 0; b < s.batch; b++)
    for (let h = 0; h < s.heads; h++)
      for (let i = 0; i < s.tokens; i++) {
        let delta = 0;
        for (let d = 0; d < s.dh; d++) delta += dy[outAt(s, b, i, h, d)] * out[outAt(s, b, i, h, d)];
        const rowLse = lse[(b * s.heads + h) * s.tokens + i];
        for (let j = 0; j < s.tokens; j++) {
          let sc = 0;
          let dp = 0;
          for (let d = 0; d < s.dh; d++) {
            sc += qkv[at(s, b, i, 0, h, d)] * qkv[at(s, b, j, 1, h, d)];
            dp += dy[outAt(s, b, i, h, d)] * qkv[at(s, b, j, 2, h, d)];
          }
          const p = Math.exp(sc * s.scale - rowLse);
          const ds = p * (dp - delta) * s.scale;
          for (let d = 0; d < s.dh; d++) {
            g[at(s, b, j, 2, h, d)] += p * dy[outAt(s, b, i, h, d)];
            g[at(s, b, i, 0, h, d)] += ds * qkv[at(s, b, j, 1, h, d)];
            g[at(s, b, j, 1, h, d)] += ds * qkv[at(s, b, i, 0, h, d)];
          }
        }
      }
  return g;
}
