// Float64 references for the matmul tests: deterministic inputs, products computed in JS doubles, and the
// comparison the tests use (relative 1e-4 of the magnitude of the summed terms).
import { expect } from 'vitest';

/** Deterministic values in [-1, 1) (mulberry32). */
export function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export interface Operand {
  data: Float32Array;
  shape: number[];
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

export function operand(shape: number[], seed: number): Operand {
  return { data: values(size(shape), seed), shape };
}

export interface Reference {
  /** The product (float64), shape `shape`. */
  value: Float64Array;
  /** Per output, the sum of |a_k b_k| (+ |bias|): the scale that rounding error is relative to. */
  scale: Float64Array;
  shape: number[];
}

/**
 * op(a) . op(b) (+ bias, then `activation`) in float64, with tf.matMul's semantics: rank >= 2, batch dims
 * broadcast (numpy rules), transposes of the last two axes.
 */
export function referenceMatMul(
  a: Operand,
  b: Operand,
  transposeA = false,
  transposeB = false,
  bias?: Operand,
  activation: (v: number) => number = (v) => v,
): Reference {
  const [ar, br] = [a.shape.length, b.shape.length];
  const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const k = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const rank = Math.max(outerA.length, outerB.length);
  const padA = [...Array(rank - outerA.length).fill(1), ...outerA];
  const padB = [...Array(rank - outerB.length).fill(1), ...outerB];
  const outer = padA.map((d, i) => Math.max(d, padB[i]));
  const batches = size(outer);
  const value = new Float64Array(batches * m * n);
  const scale = new Float64Array(batches * m * n);
  for (let bi = 0; bi < batches; bi++) {
    // Index of this output batch in A's and B's (broadcast) batch dims.
    let rem = bi;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const c = rem % outer[d];
      rem = Math.floor(rem / outer[d]);
      ia += (padA[d] === 1 ? 0 : c) * sa;
      ib += (padB[d] === 1 ? 0 : c) * sb;
      sa *= padA[d];
      sb *= padB[d];
    }
    const ao = ia * m * k;
    const bo = ib * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let abs = 0;
        for (let q = 0; q < k; q++) {
          const av = a.data[ao + (transposeA ? q * m + i : i * k + q)];
          const bv = b.data[bo + (transposeB ? j * k + q : q * n + j)];
          acc += av * bv;
          abs += Math.abs(av * bv);
        }
        if (bias) {
          const bv = bias.data[bias.data.length === 1 ? 0 : j];
          acc += bv;
          abs += Math.abs(bv);
        }
        value[(bi * m + i) * n + j] = activation(acc);
        scale[(bi * m + i) * n + j] = abs;
      }
  }
  return { value, scale, shape: [...outer, m, n] };
}

/** Expects `got` to match `ref` within `rel` of each output's scale (and its shape to match). */
export function expectClose(got: ArrayLike<number>, gotShape: readonly number[], ref: Reference, rel = 1e-4, what = ''): void {
  expect(gotShape, `${what} shape`).toEqual(ref.shape);
  expect(got.length).toBe(ref.value.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - ref.value[i]) / Math.max(ref.scale[i], 1e-30);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(
    worst,
    `${what}: worst relative error at ${at}: got ${got[at]}, want ${ref.value[at]} (scale ${ref.scale[at]})`,
  ).toBeLessThanOrEqual(rel);
}
