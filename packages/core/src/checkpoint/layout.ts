import type { ParamSpec } from '../backbone/parameters.js';

/** out[...] = x transposed by `perm` (generic strided copy; used at load/save time only). */
export function permute(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(x.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src];
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      src += strides[a];
      if (idx[a] < outShape[a]) break;
      src -= strides[a] * outShape[a];
      idx[a] = 0;
    }
  }
  return out;
}

/** HF layout -> ours: linear [out, in] -> [in, out]; Conv3d [D, C, t, p, p] -> [t*p*p*C, D]. */
export function fromHFLayout(spec: ParamSpec, data: Float32Array): Float32Array {
  if (spec.layout === 'linear') return permute(data, spec.hfShape, [1, 0]);
  if (spec.layout === 'patch') return permute(data, spec.hfShape, [2, 3, 4, 1, 0]);
  return data;
}

/** Ours -> HF layout (inverse of `fromHFLayout`). */
export function toHFLayout(spec: ParamSpec, data: Float32Array): Float32Array {
  if (spec.layout === 'linear') return permute(data, spec.shape, [1, 0]);
  if (spec.layout === 'patch') {
    const [d, c, t, p] = spec.hfShape;
    // ours [t, p, p, C, D] -> HF [D, C, t, p, p]
    return permute(data, [t, p, p, c, d], [4, 3, 0, 1, 2]);
  }
  return data;
}
