/**
 * VideoMAE's fixed 1-D sinusoid position table [positions, dim]: angle = pos / 10000^(2 floor(j/2) / dim),
 * sin on even j, cos on odd j. Computed in float64 then rounded, as HF does with numpy.
 */
export function sinusoidTable(positions: number, dim: number): Float32Array {
  const out = new Float32Array(positions * dim);
  const rates = new Float64Array(dim);
  for (let j = 0; j < dim; j++) rates[j] = Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
  for (let pos = 0; pos < positions; pos++) {
    for (let j = 0; j < dim; j++) {
      const angle = pos / rates[j];
      out[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}
