// `combined` (the default soft mask): m = m_ca^beta * m_cs^(1 - beta) (geometric), or the product
// m_ca * m_cs, or the weighted mean beta * m_ca + (1 - beta) * m_cs.
import * as tf from '@tensorflow/tfjs-core';
import { registerMask, type MaskDefinition, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';
import * as z from 'zod/mini';
import { classTargetOption, detachMaskOption, gammaCaOption, zodEnglish, zodOptions } from '../common/options.js';
import { safePow } from '../common/normalise.js';
import { temporalCosines } from '../common/temporal.js';
import { maybeDetached } from '../common/detach.js';
import { dynamicScores } from './class-agnostic-dynamic.js';
import { classActivation, similarScores } from './class-semantic-similar.js';

export const combinedOptionsSchema = z.strictObject({
  /** Weight of the dynamic mask, `0 <= beta <= 1` (default 0.5). */
  beta: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.5),
  /** How the two masks combine (default `geometric`). */
  combiner: z._default(z.enum(['geometric', 'product', 'mean']), 'geometric'),
  /** Sigmoid temperature of the dynamic mask (default 1). */
  gammaCa: gammaCaOption,
  /** Class of the similar mask without a label: `argmax` (default) or `expected` (class probabilities). */
  classTarget: classTargetOption,
  /** Compute the scores without gradient (default true). */
  detachMask: detachMaskOption,
});

export type CombinedOptions = z.input<typeof combinedOptionsSchema>;
/** Options after validation, defaults filled in. */
export type CombinedParsedOptions = z.output<typeof combinedOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    combined: CombinedOptions;
  }
}

/** Combines the two masks as the options say, `[B, V]` (call inside tf.tidy). */
export function combineMasks(ca: tf.Tensor2D, cs: tf.Tensor2D, combiner: CombinedParsedOptions['combiner'], beta: number): tf.Tensor2D {
  switch (combiner) {
    case 'geometric':
      return tf.mul(safePow(ca, beta), safePow(cs, 1 - beta)) as tf.Tensor2D;
    case 'product':
      return tf.mul(ca, cs) as tf.Tensor2D;
    case 'mean':
      return tf.add(tf.mul(ca, beta), tf.mul(cs, 1 - beta)) as tf.Tensor2D;
  }
}

function explain(
  context: SoftMaskContext,
  options: CombinedParsedOptions,
): { mask: tf.Tensor2D; parts: { ca: tf.Tensor2D; cs: tf.Tensor2D } } {
  return tf.tidy(() => {
    const [b, v] = context.features.shape;
    // One [3, B, V] output so a detached run is a single custom op.
    const stacked = maybeDetached(options.detachMask, context.features, (features) => {
      const ctx = { ...context, features };
      const cosines = temporalCosines(ctx); // measured once, shared by both masks
      const ca = dynamicScores(cosines, b, v, options.gammaCa);
      const cs = similarScores(classActivation(ctx, options.classTarget), cosines);
      return tf.stack([combineMasks(ca, cs, options.combiner, options.beta), ca, cs]);
    });
    const [mask, ca, cs] = tf.unstack(stacked) as tf.Tensor2D[];
    return { mask, parts: { ca, cs } };
  });
}

/** Creates the `combined` strategy directly (without the registry). */
export function combinedMask(options: CombinedOptions = {}): SoftMaskStrategy {
  const parsed = combinedOptionsSchema.parse(options, zodEnglish);
  return {
    kind: 'soft',
    name: 'combined',
    compute: (context) => {
      const { mask, parts } = explain(context, parsed);
      tf.dispose([parts.ca, parts.cs]);
      return mask;
    },
    explain: (context) => explain(context, parsed),
  };
}

export const combinedDefinition: MaskDefinition<CombinedOptions, CombinedParsedOptions> = {
  name: 'combined',
  kind: 'soft',
  description: 'Final AdaTosk soft mask: m_ca^beta * m_cs^(1-beta) (geometric, default), product or mean.',
  parseOptions: zodOptions(combinedOptionsSchema),
  create: (options) => combinedMask(options),
};

registerMask(combinedDefinition);
