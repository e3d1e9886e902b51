// Helpers of the attention kernel tests: seeded inputs, the comparison the issue asks for (max error
// relative to the reference's largest magnitude), and running a function with the fused kernel off.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps } from '@adatosk/core';
import { attentionComposite, fusedAttention } from '@adatosk/core/internal';

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

/** {@link withoutFused} for an async function. */
export async function withoutFusedAsync<T>(fn: () => Promise<T>): Promise<T> {
  setFusedOps(false, ['AdaToskAttention']);
  try {
    return await fn();
  } finally {
    setFusedOps(true, ['AdaToskAttention']);
  }
}

export const TOL = 1e-4;

export interface AttentionCase {
  batch: number;
  tokens: number;
  heads: number;
  dh: number;
}

/** The attention output and d(qkv) for upstream gradient `dy`, through the fused op or the composite. */
export function attentionWithGrad(qkv: tf.Tensor3D, dy: tf.Tensor, heads: number, fused: boolean): [tf.Tensor, tf.Tensor] {
  const f = (x: tf.Tensor) => {
    if (fused) return fusedAttention(x as tf.Tensor3D, heads);
    const [q, k, v] = tf.split(x, 3, 2) as tf.Tensor3D[];
    return attentionComposite(q, k, v, heads);
  };
  const go = (): [tf.Tensor, tf.Tensor] => {
    const { value, grad } = tf.valueAndGrad(f)(qkv, dy as tf.Tensor3D);
    return [value, grad];
  };
  return fused ? go() : withoutFused(go);
}

/** Fused against composite on one random case: the output, dQ, dK and dV each within TOL. */
export async function checkAttention({ batch, tokens, heads, dh }: AttentionCase, seed: number, std = 1): Promise<void> {
  const qkv = seeded([batch, tokens, 3 * heads * dh], seed, std) as tf.Tensor3D;
  const dy = seeded([batch, tokens, heads * dh], seed + 1);
  const [out, g] = attentionWithGrad(qkv, dy, heads, true);
  const [refOut, refG] = attentionWithGrad(qkv, dy, heads, false);
  const name = `B${batch} N${tokens} h${heads} dh${dh}`;
  expect(await relativeError(out, refOut), `${name}: output`).toBeLessThan(TOL);
  const parts = [tf.split(g, 3, 2), tf.split(refG, 3, 2)] as const;
  for (const [i, which] of ['dQ', 'dK', 'dV'].entries())
    expect(await relativeError(parts[0][i]!, parts[1][i]!), `${name}: ${which}`).toBeLessThan(TOL);
  tf.dispose([qkv, dy, out, g, refOut, refG, ...parts[0], ...parts[1]]);
}
