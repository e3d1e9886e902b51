export { layerNorm } from './layerNorm.js';
export { gelu } from './gelu.js';
export { linear } from './linear.js';
export { sinusoidTable } from './sinusoid.js';
export { patchify } from './patchify.js';
export { gatherTokens } from './gather.js';
export { seededNormal, mulberry32, hashSeed } from './random.js';
export { matMulPlain } from './matmul.js';
export { recompute } from './recompute.js';
