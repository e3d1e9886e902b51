// Compares a fused op with the composite it replaces on the active backend: values and the gradients of every
// input, for a random output gradient. Also proves the fused kernels ran (by their names in tf.profile).
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps } from '@adatosk/core';

/** Seeded normal values of `shape` (a fresh tensor). */
export function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale));
}

/**
 * Max |a - b| over max |b|, with max |b| floored at `floor`: a gradient that is zero in exact arithmetic
 * (a key bias under softmax) is rounding noise on both sides.
 */
export async function relativeError(a: tf.Tensor, b: tf.Tensor, floor = 1e-2): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [(await a.data()) as Float32Array, (await b.data()) as Float32Array];
  let err = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(x[i]! - y[i]!);
    err = Number.isNaN(e) ? Infinity : Math.max(err, e);
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return err / Math.max(scale, floor);
}

export interface CompareOptions {
  /** Kernel names that must appear in the fused run. */
  kernels: string[];
  /** Indices of `inputs` to differentiate (default: all). */
  wrt?: number[];
  rtol?: number;
}

/**
 * Runs `f(...inputs)` (one output, or several summed after weighting by random tensors) fused and composite,
 * and expects values and gradients to agree to `rtol` (default 1e-4) relative to the composite's magnitude.
 */
export async function expectFusedMatchesComposite(
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  inputs: tf.Tensor[],
  options: CompareOptions,
): Promise<void> {
  const rtol = options.rtol ?? 1e-4;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  // One random cotangent per output, fixed for both runs.
  const outShapes = tf.tidy(() => [f(...inputs)].flat().map((t) => t.shape));
  const cot = outShapes.map((s, i) => randn(s, 100 + i));
  const run = () =>
    tf.tidy(() => {
      const values = [f(...inputs)].flat();
      const loss = (...xs: tf.Tensor[]) => {
        const all = inputs.map((t, i) => (wrt.includes(i) ? xs[wrt.indexOf(i)]! : t));
        const outs = [f(...all)].flat();
        return outs.map((o, i) => tf.sum(tf.mul(o, cot[i]!))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      };
      const grads = tf.grads(loss)(wrt.map((i) => inputs[i]!));
      return [...values, ...grads];
    });
  try {
    setFusedOps(true);
    const profile = await tf.profile(() => run());
    const fused = profile.result as tf.Tensor[];
    const names = new Set(profile.kernels.map((k) => k.name));
    for (const k of options.kernels) expect(names.has(k), `kernel ${k} ran`).toBe(true);
    setFusedOps(false);
    const composite = run();
    expect(composite.length).toBe(fused.length);
    for (let i = 0; i < fused.length; i++) {
      const what = i < outShapes.length ? `output ${i}` : `gradient of input ${wrt[i - outShapes.length]}`;
      expect(await relativeError(fused[i]!, composite[i]!), what).toBeLessThan(rtol);
    }
    tf.dispose([...fused, ...composite]);
  } finally {
    setFusedOps(true);
    tf.dispose(cot);
  }
}
