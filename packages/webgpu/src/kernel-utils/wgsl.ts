// WGSL snippets shared by our kernels.

/**
 * `reduceSum(v, tid)`: the sum of `v` over the workgroup, returned to every thread. `size` must be a power of
 * two (the workgroup size). Call it from uniform control flow (it has barriers); it reuses one shared array.
 */
export function reduceSumSnippet(size: number): string {
  return `
  var<workgroup> reduceBuf : array<f32, ${size}>;
  fn reduceSum(v : f32, tid : i32) -> f32 {
    reduceBuf[tid] = v;
    workgroupBarrier();
    for (var s = ${size / 2}; s > 0; s = s / 2) {
      if (tid < s) { reduceBuf[tid] = reduceBuf[tid] + reduceBuf[tid + s]; }
      workgroupBarrier();
    }
    let total = reduceBuf[0];
    workgroupBarrier();
    return total;
  }`;
}

/**
 * `erfAS(a)`: the error function by Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), the formula and
 * constants of TF.js's own Erf kernels, so fused GELU and the composite agree.
 */
export const ERF_SNIPPET = `
  fn erfAS(a : f32) -> f32 {
    let p = 0.3275911;
    let a1 = 0.254829592;
    let a2 = -0.284496736;
    let a3 = 1.421413741;
    let a4 = -1.453152027;
    let a5 = 1.061405429;
    let absA = abs(a);
    let t = 1.0 / (1.0 + p * absA);
    return sign(a) * (1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * exp(-absA * absA));
  }`;

/** Workgroup size for a kernel that gives each row of `cols` values to one workgroup. */
export function rowWorkgroupSize(cols: number): number {
  if (cols <= 128) return 64;
  if (cols <= 1024) return 128;
  return 256;
}
