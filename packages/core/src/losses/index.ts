export { softmaxCrossEntropy } from './crossEntropy.js';
export { normalizePatches, reconstructionMSE, unnormalizeClips } from './reconstruction.js';
