export { createRng, isRng } from './rng.js';
export type { Rng, Seed } from './rng.js';
