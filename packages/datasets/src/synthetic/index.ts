// Browser-safe entry: the synthetic dynamic-face dataset, seeded PRNG, temporal sampling, normalisation,
// the batched loader and the dataset registry. No Node or native imports below this file.
import { registerDataset } from '../registry.js';
import { createSyntheticDataset } from './dataset.js';

export { SYNTHETIC_CLASSES, APEX_FACES, NEUTRAL_FACE, CLASS_DYNAMICS, blendExpression } from './classes.js';
export type { SyntheticClass, Expression } from './classes.js';
export { renderSyntheticClip, SYNTHETIC_DEFAULTS } from './generator.js';
export type { SyntheticClip, SyntheticClipOptions } from './generator.js';
export { SYNTHETIC_KEY_MOMENT } from './profiles.js';
export { createSyntheticDataset } from './dataset.js';
export type { SyntheticDataset, SyntheticDatasetOptions } from './dataset.js';
export { Canvas } from './canvas.js';
export type { FaceIdentity, FacePose } from './face.js';
export { Rng, mixSeed, permutation } from '../common/prng.js';
export * from '../common/sampling.js';
export {
  DEFAULT_AUGMENT, FULL_FRAME, drawAugment, drawCrop, normalizeFrame, denormalize,
  normalizationTable, normalizeWithTable, saturationMatrix, saturatePixels,
} from '../common/augment.js';
export type { AugmentOptions, AugmentParams, CropBox, CropOptions, ColorFactors, JitterOptions } from '../common/augment.js';
export { flipHorizontal } from '../common/flip.js';
export { createLoader } from '../pipeline/loader.js';
export type { LoaderOptions } from '../pipeline/loader.js';
export {
  createDataset, createDatasetByName, registerDataset, listDatasets, getDatasetEntry, unregisterDataset, resetDatasetRegistry,
} from '../registry.js';
export type { DatasetRegistry, DatasetFactory, DatasetEntry } from '../registry.js';

registerDataset('synthetic', createSyntheticDataset, 'built-in synthetic dynamic-face clips (7 DFEW classes)');
