// AdaTosk: the two-branch model and its cost.
export { AdaToskModel, adaToskFromSafetensors, createAdaTosk } from './model.js';
export type { AdaToskBatch, AdaToskLoss, AdaToskStepContext, CreateAdaToskOptions, SoftMaskReport } from './model.js';
export { adaToskNumericOptionsSchema, resolveAdaToskOptions } from './options.js';
export type { AdaToskObjective, AdaToskOptions, AdaToskPooling, ResolvedAdaToskOptions, SemanticTarget } from './options.js';
export { keptCount, selectTopK } from './selection.js';
export type { Selection } from './selection.js';
export { countAdaToskFlops } from './flops.js';
export type { AdaToskFlops, AdaToskFlopsOptions } from './flops.js';
export { apexPrecisionAtK, meanApexPrecision } from './apex.js';
export type { ApexPrecision, ApexPrecisionInput } from './apex.js';
