// Seeded initialisation: each parameter gets its own named stream of the one PRNG, keyed by
// (seed, 'init', parameter name), so filling a subset of parameters gives the same values as a full init.
import { seedStream } from '../random/rng.js';

/** `n` samples of normal(0, std), deterministic in (seed, name). */
export function seededNormal(n: number, std: number, seed: number, name: string): Float32Array {
  const rng = seedStream(seed, 'init', name);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}
