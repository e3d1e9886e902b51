export { AdamW, type AdamWOptions, type AdamWState, type ParamGroup, type StepClip } from './adamw.js';
export { clipByGlobalNorm, globalNorm, globalNormTensor } from './clip.js';
export { mixBatch, type MixOptions, type MixedBatch } from './mixup.js';
export { layerIdOf, layerLrScale, usesWeightDecay } from './param-groups.js';
export { TrainRng, deriveSeed, seededPermutation } from './rng.js';
export { cosineWithWarmup, type CosineScheduleOptions } from './schedule.js';
export { encodeTrainState, decodeTrainState, readTrainStateInfo, type TrainState, type TensorData } from './state.js';
export type { TrainableModel, PredictingModel, TrainBatch, TrainData, LossContext, LossOutput } from './model.js';
export {
  train,
  stepsPerEpoch,
  NonFiniteLossError,
  type TrainOptions,
  type TrainHooks,
  type TrainResult,
  type CheckpointInfo,
} from './trainer.js';
export { maeDferRecipe, type Recipe } from './recipes.js';
