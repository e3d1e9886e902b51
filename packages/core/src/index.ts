// @adatosk/core: backend-agnostic. The public API, named one by one (the surface is checked against
// api/core.api.md in `npm test`). Building blocks that sibling packages need but users should not rely on
// live in '@adatosk/core/internal'; test-only helpers in '@adatosk/core/testing'.
export const VERSION = '0.1.0';

// Config: VideoMAE configs, presets, Hugging Face config.json conversion.
export { parseConfig, ConfigError } from './config/schema.js';
export type { VideoMAEConfig } from './config/schema.js';
export { presets, presetNames, resolveConfig } from './config/presets.js';
export type { PresetName } from './config/presets.js';
export { configFromHF, configToHF, isHFConfig } from './config/hf.js';
export { tokenGrid } from './config/grid.js';
export type { TokenGrid } from './config/grid.js';

// The VideoMAE backbone.
export { VideoMAEModel, createModel } from './backbone/model.js';
export type { LoadReport } from './backbone/model.js';
export { parameterSpecs } from './backbone/parameters.js';
export type { ParamSpec, ParamPart, ParamLayout, ParamInit } from './backbone/parameters.js';
export { maskIndex } from './backbone/indices.js';
export type { MaskIndex, HardMaskInput } from './backbone/indices.js';
export { softmaxCrossEntropy } from './losses/crossEntropy.js';
export { setFusedOps, usesFusedKernel } from './ops/fused/dispatch.js';
export { LEAN_BLOCK } from './backbone/leanBlock.js';
// How much memory a training step may keep before blocks recompute (default: the device's).
export { setMemoryBudget, memoryBudget } from './backbone/memory.js';
export type { MemoryBudget } from './backbone/memory.js';

// Checkpoints: safetensors bytes in and out, HF layouts.
export { readSafetensors, readSafetensorsHeader, writeSafetensors, decodeEntry, SafetensorsError } from './checkpoint/safetensors.js';
export type { SafetensorsHeader, SafetensorsEntry, SafetensorsFile, WritableTensor, WritableDtype } from './checkpoint/safetensors.js';
export type { SafetensorsDtype } from './checkpoint/dtypes.js';
export { modelFromSafetensors, loadModelSync } from './checkpoint/load.js';
export type { LoadOptions } from './checkpoint/load.js';
export { saveModel, CONFIG_METADATA_KEY } from './checkpoint/save.js';
export type { SavedModel } from './checkpoint/save.js';
export { readSavedModelConfig, savedAdaToskOptions, ADATOSK_OPTIONS_METADATA_KEY } from './checkpoint/saved.js';
export type { SavedModelConfig } from './checkpoint/saved.js';

// Cost.
export { countFlops } from './flops/flops.js';
export type { FlopOptions, FlopCount } from './flops/flops.js';
export { countParams } from './flops/params.js';
export type { ParamCount } from './flops/params.js';

// Randomness: the one seeded PRNG and seed mixer.
export { createRng, isRng, seedStream } from './random/rng.js';
export type { Rng } from './random/rng.js';
export { mixSeed } from './random/seed.js';
export type { Seed } from './random/seed.js';

// Masks: contracts, the typed registry, helpers for writing strategies.
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
} from './masks/types.js';
export {
  createHardMask,
  createMask,
  createMaskFromSpec,
  createSoftMask,
  getMask,
  hasMask,
  listMasks,
  registerMask,
  unregisterMask,
} from './masks/registry.js';
export type {
  MaskDefinition,
  MaskInfo,
  MaskName,
  MaskOptionsOf,
  MaskRegistry,
  MaskSpec,
  UncheckedMaskSpec,
} from './masks/registry.js';
export { assertGrid, gridTokens, hardMaskIndices, hardMaskToTensor, makeHardMask } from './masks/hard-mask.js';
export type { HardMaskIndices } from './masks/hard-mask.js';
export { temporalNeighbours } from './masks/neighbours.js';
export type { TemporalNeighbours } from './masks/neighbours.js';
export { stopGradient } from './masks/stop-gradient.js';

// AdaTosk: the two-branch model and its cost.
export { AdaToskModel, adaToskFromSafetensors, createAdaTosk } from './adatosk/model.js';
export type { AdaToskBatch, AdaToskLoss, AdaToskStepContext, CreateAdaToskOptions, SoftMaskReport } from './adatosk/model.js';
export { resolveAdaToskOptions } from './adatosk/options.js';
export type { AdaToskObjective, AdaToskOptions, AdaToskPooling, ResolvedAdaToskOptions, SemanticTarget } from './adatosk/options.js';
export { countAdaToskFlops } from './adatosk/flops.js';
export type { AdaToskFlops, AdaToskFlopsOptions } from './adatosk/flops.js';
export { apexPrecisionAtK, meanApexPrecision } from './adatosk/apex.js';
export type { ApexPrecision, ApexPrecisionInput } from './adatosk/apex.js';

// Datasets: the sample contract, errors, normalisation.
export type {
  ClipMode,
  ClipShape,
  ClipSample,
  ClipLoadOptions,
  ClipDataset,
  ClipBatch,
  ClipFailureKind,
  ClipFailure,
  SkipReport,
  ClipPassOptions,
  ClipLoader,
} from './data/sample.js';
export { ClipLoadError, DatasetError, isClipLoadError, isDatasetError } from './data/errors.js';
export { IMAGENET_MEAN, IMAGENET_STD } from './data/normalize.js';

// Training.
export { train } from './train/trainer.js';
export type { TrainHooks, TrainResult } from './train/trainer.js';
export { TRAIN_DEFAULTS, MIX_DEFAULTS } from './train/options.js';
export type { TrainOptions } from './train/options.js';
export { NonFiniteLossError } from './train/step.js';
export type { CheckpointInfo } from './train/checkpointing.js';
export { cosineWithWarmup, stepsPerEpoch } from './train/schedule.js';
export type { CosineScheduleOptions } from './train/schedule.js';
export { AdamW } from './train/adamw.js';
export type { AdamWOptions, AdamWState, ParamGroup, StepClip } from './train/adamw.js';
export type { MixOptions } from './train/mixup.js';
export { encodeTrainState, decodeTrainState, isTrainState, readTrainStateInfo } from './train/state.js';
export type { TrainState, TensorData } from './train/state.js';
export type { TrainableModel, PredictingModel, TrainBatch, TrainData, LossContext, LossOutput } from './train/model.js';
export { maeDferRecipe } from './train/recipes.js';
export type { Recipe } from './train/recipes.js';

// Evaluation.
export { confusionMatrix, metricsFromConfusion, computeMetrics, summarize } from './eval/metrics.js';
export type { Summary } from './eval/metrics.js';
export { evaluate } from './eval/evaluate.js';
export type { EvalData, EvaluateOptions, EvaluateResult } from './eval/evaluate.js';
export { runKFold } from './eval/kfold.js';
export type { KFoldResult } from './eval/kfold.js';

// Progress events.
export type {
  EvalMetrics,
  StartEvent,
  EpochStartEvent,
  StepEvent,
  SkipEvent,
  EpochEvent,
  EvalEvent,
  CheckpointEvent,
  FoldEvent,
  DoneEvent,
  TrainEvent,
  TrainEventType,
  TrainEventListener,
} from './events/types.js';
