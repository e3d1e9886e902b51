// Browser-safe entry: the synthetic dynamic-face dataset, temporal sampling, normalisation,
// the batched loader and the dataset registry. No Node or native imports below this file.
import { registerDataset } from '../registry.js';
import { syntheticDataset } from './dataset.js';

export { SYNTHETIC_CLASSES, APEX_FACES, NEUTRAL_FACE, CLASS_DYNAMICS, blendExpression } from './classes.js';
export type { SyntheticClass, Expression } from './classes.js';
export { renderSyntheticClip, SYNTHETIC_DEFAULTS } from './generator.js';
export type { SyntheticClip, SyntheticClipOptions } from './generator.js';
export { SYNTHETIC_KEY_MOMENT } from './profiles.js';
export { createSyntheticDataset, syntheticDataset } from './dataset.js';
export type { SyntheticDataset, SyntheticDatasetOptions } from './dataset.js';
export { Canvas } from './canvas.js';
export type { FaceIdentity, FacePose } from './face.js';
export { maeDferTrainIndices, maeDferTestIndices, segmentTrainIndices, segmentTestIndices, sampleIndices } from '../common/sampling.js';
export type { SamplingKind, SamplingOptions } from '../common/sampling.js';
export {
  DEFAULT_AUGMENT,
  FULL_FRAME,
  drawAugment,
  drawCrop,
  normalizeFrame,
  denormalize,
  normalizationTable,
  normalizeWithTable,
  saturationMatrix,
  saturatePixels,
} from '../common/augment.js';
export type { AugmentOptions, AugmentParams, CropBox, CropOptions, ColorFactors, JitterOptions } from '../common/augment.js';
export { flipHorizontal } from '../common/flip.js';
export { augmentFrame, planFrame } from '../augment/kernel.js';
export type { FrameAugment, FramePlan, Normalization } from '../augment/kernel.js';
export { frameMap, axisTable } from '../augment/geometry.js';
export type { AxisMap, FrameMap, ResampleAxis } from '../augment/geometry.js';
export { augmentOnDevice, unpackPixels } from '../augment/device.js';
export type { DeviceAugmentOptions } from '../augment/device.js';
export { packPixels, unpackPixelsCpu } from '../augment/pack.js';
export { isPlannedDataset } from '../work/planned.js';
export type { ClipPlan, PlanOptions, PlannedClipDataset } from '../work/planned.js';
export type { ClipExecutor, ClipWork, EncodeWork, EncodedClip, FrameSource, ShardFrame, WorkOutput } from '../work/types.js';
export { createLoader } from '../pipeline/loader.js';
export type { LoaderOptions } from '../pipeline/loader.js';
export {
  createDataset,
  createDatasetFromSpec,
  registerDataset,
  listDatasets,
  getDataset,
  hasDataset,
  unregisterDataset,
  resetDatasetRegistry,
  checkDatasetOptions,
  unknownDatasetMessage,
  foldList,
} from '../registry.js';
export type {
  DatasetRegistry,
  DatasetName,
  DatasetOptionsOf,
  DatasetFacts,
  DatasetDefinition,
  DatasetInfo,
  UncheckedDatasetSpec,
} from '../registry.js';

registerDataset(syntheticDataset);
