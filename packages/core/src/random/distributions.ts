// Distributions drawn from an Rng (for mixup's mixing weight); pure functions of the stream.
import type { Rng } from './rng.js';

/** A Gamma(k, 1) draw (Marsaglia-Tsang; k < 1 boosted by U^(1/k)). */
export function sampleGamma(rng: Rng, k: number): number {
  if (!(k > 0)) throw new RangeError(`sampleGamma: the shape must be > 0, got ${k}.`);
  if (k < 1) return sampleGamma(rng, k + 1) * Math.pow(Math.max(rng.float(), 1e-12), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, alpha) draw, via two Gamma draws. */
export function sampleBeta(rng: Rng, alpha: number): number {
  const a = sampleGamma(rng, alpha);
  const b = sampleGamma(rng, alpha);
  return a + b === 0 ? 0.5 : a / (a + b);
}
