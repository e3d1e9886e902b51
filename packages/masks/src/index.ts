// @adatosk/masks: the built-in hard and soft mask strategies. Importing this module registers them
// (each strategy file registers itself); the factories below also work without the registry.
import { registerMask } from '@adatosk/core';
import { hardRandomDefinition } from './strategies/hard-random.js';
import { classAgnosticDynamicDefinition } from './strategies/class-agnostic-dynamic.js';
import { classSemanticSimilarDefinition } from './strategies/class-semantic-similar.js';
import { combinedDefinition } from './strategies/combined.js';
import { randomSelectDefinition } from './strategies/random-select.js';
import { uniformSelectDefinition } from './strategies/uniform-select.js';

export { evenTubePositions, hardRandomDefinition, hardRandomMask, hardRandomOptionsSchema } from './strategies/hard-random.js';
export type { HardRandomOptions } from './strategies/hard-random.js';
export {
  classAgnosticDynamicDefinition,
  classAgnosticDynamicMask,
  classAgnosticDynamicOptionsSchema,
  dynamicDistance,
  dynamicScores,
} from './strategies/class-agnostic-dynamic.js';
export type { ClassAgnosticDynamicOptions, ClassAgnosticDynamicParsedOptions } from './strategies/class-agnostic-dynamic.js';
export {
  accumulatedScore,
  classActivation,
  classSemanticSimilarDefinition,
  classSemanticSimilarMask,
  classSemanticSimilarOptionsSchema,
  classWeights,
  similarScores,
  targetClasses,
} from './strategies/class-semantic-similar.js';
export type { ClassSemanticSimilarOptions, ClassSemanticSimilarParsedOptions } from './strategies/class-semantic-similar.js';
export { combineMasks, combinedDefinition, combinedMask, combinedOptionsSchema } from './strategies/combined.js';
export type { CombinedOptions, CombinedParsedOptions } from './strategies/combined.js';
export { randomSelectDefinition, randomSelectMask, randomSelectOptionsSchema } from './strategies/random-select.js';
export type { RandomSelectOptions } from './strategies/random-select.js';
export { uniformSelectDefinition, uniformSelectMask, uniformSelectOptionsSchema } from './strategies/uniform-select.js';
export type { UniformSelectOptions } from './strategies/uniform-select.js';
export { evenSpreadScore } from './common/selection.js';
export type { ClassTarget } from './common/options.js';
export { temporalCosines, COS_EPS } from './common/temporal.js';
export type { TemporalCosines } from './common/temporal.js';

/** The names registered by importing this package. */
export const BUILTIN_MASKS = [
  'hard-random',
  'class-agnostic-dynamic',
  'class-semantic-similar',
  'combined',
  'random-select',
  'uniform-select',
] as const;

/** Registers the built-in strategies again (after `resetMaskRegistry()` in tests); idempotent. */
export function registerBuiltinMasks(): void {
  registerMask(hardRandomDefinition);
  registerMask(classAgnosticDynamicDefinition);
  registerMask(classSemanticSimilarDefinition);
  registerMask(combinedDefinition);
  registerMask(randomSelectDefinition);
  registerMask(uniformSelectDefinition);
}
