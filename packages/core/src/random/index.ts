// The one PRNG (xoshiro128**) and the one seed mixer of every package.
export { createRng, isRng, seedStream } from './rng.js';
export type { Rng } from './rng.js';
export { mixSeed } from './seed.js';
export type { Seed } from './seed.js';
export { sampleBeta, sampleGamma } from './distributions.js';
