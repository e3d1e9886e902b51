// The training area: the loop and its named parts (options, plan, seed streams, step, checkpoint and evaluation policies).
export { AdamW, type AdamWOptions, type AdamWState, type ParamGroup } from './adamw.js';
export { clipByGlobalNorm, globalNorm, globalNormTensor } from './clip.js';
export { mixBatch, type MixOptions, type MixedBatch } from './mixup.js';
export { layerIdOf, layerLrScale, usesWeightDecay } from './param-groups.js';
export { TRAIN_DEFAULTS, MIX_DEFAULTS, resolveTrainOptions, type TrainOptions, type ResolvedTrainOptions } from './options.js';
export { cosineWithWarmup, stepsPerEpoch, planRun, type CosineScheduleOptions, type RunPlan } from './schedule.js';
export { trainStreams, epochOrder, type TrainStreams } from './seeds.js';
export { OptimizerStep, NonFiniteLossError, type StepOutcome, type StepPosition, type StepSettings } from './step.js';
export { CheckpointPolicy, restoreState, snapshotState, type CheckpointInfo, type RunPosition } from './checkpointing.js';
export { EvaluationPolicy, type BestEvaluation } from './evaluation.js';
export { encodeTrainState, decodeTrainState, isTrainState, readTrainStateInfo, type TrainState, type TensorData } from './state.js';
export type { TrainableModel, PredictingModel, TrainBatch, TrainData, LossContext, LossOutput } from './model.js';
export { train, type TrainHooks, type TrainResult } from './trainer.js';
export { maeDferRecipe, type Recipe } from './recipes.js';
