// Mask contracts, the typed registry and helpers for writing strategies.
export type {
  HardMask,
  HardMaskRequest,
  HardMaskStrategy,
  MaskKind,
  MaskStrategy,
  SoftMaskClassifier,
  SoftMaskContext,
  SoftMaskParts,
  SoftMaskStrategy,
  MaskGrid,
} from './types.js';
export {
  createHardMask,
  createMask,
  createMaskFromSpec,
  createSoftMask,
  getMask,
  hasMask,
  listMasks,
  registerMask,
  resetMaskRegistry,
  unregisterMask,
} from './registry.js';
export type {
  MaskDefinition,
  MaskInfo,
  MaskName,
  MaskOptionsOf,
  MaskRegistry,
  MaskSpec,
  UncheckedMaskSpec,
} from './registry.js';
export { assertGrid, gridTokens, hardMaskIndices, hardMaskToTensor, makeHardMask } from './hard-mask.js';
export type { HardMaskIndices } from './hard-mask.js';
export { temporalNeighbours } from './neighbours.js';
export type { TemporalNeighbours } from './neighbours.js';
export { stopGradient } from './stop-gradient.js';
