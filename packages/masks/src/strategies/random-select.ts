// `random-select`: a baseline soft mask that ranks tokens at random, for ablations. The scores are a
// hash of each token's features and position (fract(43758.5453 * sin(z . r) + t * phi), r a seeded
// random projection), so they are independent of what the token shows yet deterministic: the same
// clip and weights give the same choice, which keeps runs and resumes reproducible without a
// random stream in the mask context.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, registerMask, type MaskDefinition, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';
import * as z from 'zod/mini';
import { detachMaskOption, zodEnglish, zodOptions } from '../common/options.js';
import { GOLDEN_FRACTION, tokenIndexTensor } from '../common/selection.js';
import { maybeDetached } from '../common/detach.js';

export const randomSelectOptionsSchema = z.strictObject({
  /** Seed of the random projection (default 0). */
  seed: z._default(z.int(), 0),
  /** Accepted for symmetry with the other soft masks; the scores never carry gradient. */
  detachMask: detachMaskOption,
});

export type RandomSelectOptions = z.input<typeof randomSelectOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    'random-select': RandomSelectOptions;
  }
}

function projection(dim: number, seed: number): Float32Array {
  const rng = createRng(`random-select/${seed}`);
  return Float32Array.from({ length: dim }, () => rng.normal() / Math.sqrt(dim));
}

/** Creates the `random-select` strategy directly (without the registry). */
export function randomSelectMask(options: RandomSelectOptions = {}): SoftMaskStrategy {
  const { seed } = randomSelectOptionsSchema.parse(options, zodEnglish);
  const projections = new Map<number, Float32Array>();
  return {
    kind: 'soft',
    name: 'random-select',
    compute(context: SoftMaskContext): tf.Tensor2D {
      const [b, v, d] = context.features.shape;
      let r = projections.get(d);
      if (!r) projections.set(d, (r = projection(d, seed)));
      const rr = r;
      // Always detached: a gradient through a hash would be noise.
      return tf.tidy(() =>
        maybeDetached(true, context.features, (z) => {
          const dot = tf.reshape(tf.matMul(tf.reshape(z, [b * v, d]), tf.tensor2d(rr, [d, 1])), [b, v]);
          const t = tf.mul(tokenIndexTensor(context.tokenIndices, b, v), GOLDEN_FRACTION);
          const x = tf.add(tf.mul(tf.sin(dot), 43758.5453), t);
          return tf.sub(x, tf.floor(x)) as tf.Tensor2D;
        }),
      );
    },
  };
}

export const randomSelectDefinition: MaskDefinition<RandomSelectOptions, z.output<typeof randomSelectOptionsSchema>> = {
  name: 'random-select',
  kind: 'soft',
  description: 'Baseline: ranks tokens at random (a hash of each token), whatever they show.',
  parseOptions: zodOptions(randomSelectOptionsSchema),
  create: (options) => randomSelectMask(options),
};

registerMask(randomSelectDefinition);
