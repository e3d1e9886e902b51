// An independent plain-JS (float64) implementation of SPEC section 4, written with loops over
// tokens, used to check the tensor implementation. It shares no code with src/.

export interface RefInput {
  /** [V][D] features of one clip's visible tokens. */
  z: number[][];
  /** Token index (tau*N + n) of each visible token, ascending. */
  tokens: number[];
  grid: { frames: number; height: number; width: number };
  /** [D][C] classifier weight. */
  weight: number[][];
  bias?: number[];
  fcNorm: (v: number[]) => number[];
  label?: number;
  gammaCa?: number;
  beta?: number;
  combiner?: 'geometric' | 'product' | 'mean';
}

export interface RefOutput {
  d: number[];
  ca: number[];
  a: number[];
  s: number[];
  r: number[];
  cs: number[];
  m: number[];
  predecessor: number[];
}

const dot = (u: number[], v: number[]) => u.reduce((acc, x, i) => acc + x * v[i], 0);
const norm = (u: number[]) => Math.sqrt(dot(u, u));
const cos = (u: number[], v: number[]) => dot(u, v) / (norm(u) * norm(v) + 1e-8);

export function refLayerNorm(gamma: number[], betaShift: number[], eps = 1e-5) {
  return (v: number[]): number[] => {
    const mean = v.reduce((a, x) => a + x, 0) / v.length;
    const variance = v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length;
    return v.map((x, i) => ((x - mean) / Math.sqrt(variance + eps)) * gamma[i] + betaShift[i]);
  };
}

export function refSoftMasks(input: RefInput): RefOutput {
  const { z, tokens, grid, weight, fcNorm } = input;
  const gammaCa = input.gammaCa ?? 1;
  const beta = input.beta ?? 0.5;
  const n = grid.height * grid.width;
  const V = z.length;
  const where = new Map<number, number>();
  tokens.forEach((t, j) => where.set(t, j));
  const pred: number[] = [];
  const succ: number[] = [];
  for (let j = 0; j < V; j++) {
    const tau = Math.floor(tokens[j] / n);
    const pos = tokens[j] % n;
    let p = -1;
    for (let t = tau - 1; t >= 0 && p < 0; t--) p = where.get(t * n + pos) ?? -1;
    let s = -1;
    for (let t = tau + 1; t < grid.frames && s < 0; t++) s = where.get(t * n + pos) ?? -1;
    pred.push(p);
    succ.push(s);
  }
  // (i) dynamic
  const d = z.map((zj, j) => (pred[j] >= 0 ? 1 - cos(zj, z[pred[j]]) : succ[j] >= 0 ? 1 - cos(zj, z[succ[j]]) : 0));
  const mean = d.reduce((a, x) => a + x, 0) / V;
  const std = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / V);
  const ca = d.map((x) => 1 / (1 + Math.exp(-((x - mean) / (std + 1e-6)) / gammaCa)));
  // (ii) similar
  let c = input.label;
  if (c === undefined) {
    const pooled = z[0].map((_, k) => z.reduce((a, zj) => a + zj[k], 0) / V);
    const pn = fcNorm(pooled);
    const C = weight[0].length;
    let best = -Infinity;
    for (let cls = 0; cls < C; cls++) {
      const logit = pn.reduce((a, x, k) => a + x * weight[k][cls], 0) + (input.bias?.[cls] ?? 0);
      if (logit > best) {
        best = logit;
        c = cls;
      }
    }
  }
  const rawA = z.map((zj) => fcNorm(zj).reduce((acc, x, k) => acc + x * weight[k][c!], 0));
  const lo = Math.min(...rawA);
  const hi = Math.max(...rawA);
  const a = rawA.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 1));
  const s = z.map((zj, j) => (pred[j] >= 0 ? Math.max(0, cos(zj, z[pred[j]])) : 0));
  const r: number[] = new Array(V).fill(0);
  for (let j = 0; j < V; j++) if (pred[j] >= 0) r[j] = s[j] * (r[pred[j]] + a[pred[j]]); // tokens ascend in time
  const rawCs = a.map((x, j) => x / (1 + r[j]));
  const top = Math.max(...rawCs);
  const bottom = Math.min(...rawCs);
  const cs = rawCs.map((x) => (top === bottom ? 1 : x / top));
  const combiner = input.combiner ?? 'geometric';
  const m = ca.map((x, j) =>
    combiner === 'geometric' ? x ** beta * cs[j] ** (1 - beta) : combiner === 'product' ? x * cs[j] : beta * x + (1 - beta) * cs[j],
  );
  return { d, ca, a, s, r, cs, m, predecessor: pred };
}
