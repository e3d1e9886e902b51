export { createRng, fmix32, isRng } from './rng.js';
export type { Rng, Seed } from './rng.js';
