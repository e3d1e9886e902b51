// Helpers of the attention kernel tests: seeded inputs, the comparison the issue asks for (max error
// relative to the reference's largest magnitude), and running a function with the fused kernel off.
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps } from '@adatosk/core';

/** Normal(0, std) values, deterministic in `seed` (mulberry32 + Box-Muller). */
export function seeded(shape: number[], seed: number, std = 1): tf.Tensor {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = shape.reduce((x, y) => x * y, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * std;
  return tf.tensor(v, shape, 'float32');
}

/** max |ours - ref| / max |ref| (0 when both are all zeros). */
export async function relativeError(ours: tf.Tensor, ref: tf.Tensor): Promise<number> {
  const [a, b] = await Promise.all([ours.data(), ref.data()]);
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    err = Number.isNaN(e) ? Infinity : Math.max(err, e);
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? err : err / scale;
}

/** Runs `fn` with the fused attention kernel turned off (the composite runs), restoring it after. */
export function withoutFused<T>(fn: () => T): T {
  setFusedOps(false, ['AdaToskAttention']);
  try {
    return fn();
  } finally {
    setFusedOps(true, ['AdaToskAttention']);
  }
}
