// `uniform-select`: a baseline soft mask that keeps tokens evenly spread over space and time,
// whatever they show, for ablations. The score of token t (= tau * N + n) is fract((t + 1) * phi)
// with phi the golden ratio: the k highest scores of any k are spread along the temporal-major
// token order with at most three distinct gaps (the three-gap theorem), so every slot keeps about
// the same number of tokens and, within a slot, they are spread over the patch grid.
import * as tf from '@tensorflow/tfjs-core';
import { registerMask, type MaskDefinition, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';
import * as z from 'zod/mini';
import { detachMaskOption, zodEnglish, zodOptions } from '../common/options.js';
import { evenSpreadScore } from '../common/selection.js';

export const uniformSelectOptionsSchema = z.strictObject({
  /** Accepted for symmetry with the other soft masks; the scores never carry gradient. */
  detachMask: detachMaskOption,
});

export type UniformSelectOptions = z.input<typeof uniformSelectOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    'uniform-select': UniformSelectOptions;
  }
}

/** Creates the `uniform-select` strategy directly (without the registry). */
export function uniformSelectMask(options: UniformSelectOptions = {}): SoftMaskStrategy {
  uniformSelectOptionsSchema.parse(options, zodEnglish);
  return {
    kind: 'soft',
    name: 'uniform-select',
    compute(context: SoftMaskContext): tf.Tensor2D {
      const [b, v] = context.features.shape;
      return tf.tensor2d(Float32Array.from(context.tokenIndices, evenSpreadScore), [b, v]);
    },
  };
}

export const uniformSelectDefinition: MaskDefinition<UniformSelectOptions, z.output<typeof uniformSelectOptionsSchema>> = {
  name: 'uniform-select',
  kind: 'soft',
  description: 'Baseline: keeps tokens evenly spread over space and time, whatever they show.',
  parseOptions: zodOptions(uniformSelectOptionsSchema),
  create: (options) => uniformSelectMask(options),
};

registerMask(uniformSelectDefinition);
