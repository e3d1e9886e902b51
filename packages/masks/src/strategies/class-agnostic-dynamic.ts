// `class-agnostic-dynamic`: scores each visible token by how much it changed since the same spatial
// position in the nearest earlier visible slot, so the moments where the face moves stand out.
//   d = 1 - cos(z, z_pred)             (successor when there is no predecessor; 0 with neither)
//   dn = (d - mean(d)) / (std(d) + 1e-6)   population statistics over the clip's visible tokens
//   m_ca = sigmoid(dn / gammaCa)
import * as tf from '@tensorflow/tfjs-core';
import { registerMask, type MaskDefinition, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';
import * as z from 'zod/mini';
import { detachMaskOption, gammaCaOption, zodEnglish, zodOptions } from '../common/options.js';
import { standardiseRows } from '../common/normalise.js';
import { temporalCosines, type TemporalCosines } from '../common/temporal.js';
import { maybeDetached } from '../common/detach.js';

export const classAgnosticDynamicOptionsSchema = z.strictObject({
  /** Sigmoid temperature (default 1): lower is sharper. */
  gammaCa: gammaCaOption,
  /** Compute the scores without gradient (default true). */
  detachMask: detachMaskOption,
});

export type ClassAgnosticDynamicOptions = z.input<typeof classAgnosticDynamicOptionsSchema>;
/** Options after validation, defaults filled in. */
export type ClassAgnosticDynamicParsedOptions = z.output<typeof classAgnosticDynamicOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    'class-agnostic-dynamic': ClassAgnosticDynamicOptions;
  }
}

/** The raw dynamic scores `d`, `[B, V]` (exposed for visualisation and the combined mask). */
export function dynamicDistance(cosines: TemporalCosines, batch: number, visible: number): tf.Tensor2D {
  // d = 1 - cos only where a neighbour exists; tokens with neither neighbour get d = 0.
  return tf.reshape(tf.mul(tf.sub(1, cosines.cosRef), cosines.hasRef), [batch, visible]) as tf.Tensor2D;
}

/** `m_ca` from measured cosines, `[B, V]` (call inside tf.tidy). */
export function dynamicScores(cosines: TemporalCosines, batch: number, visible: number, gammaCa: number): tf.Tensor2D {
  const dn = standardiseRows(dynamicDistance(cosines, batch, visible));
  return tf.sigmoid(tf.div(dn, gammaCa)) as tf.Tensor2D;
}

function compute(context: SoftMaskContext, options: ClassAgnosticDynamicParsedOptions): tf.Tensor2D {
  const [b, v] = context.features.shape;
  return tf.tidy(() =>
    maybeDetached(options.detachMask, context.features, (features) =>
      dynamicScores(temporalCosines({ ...context, features }), b, v, options.gammaCa),
    ),
  );
}

/** Creates the `class-agnostic-dynamic` strategy directly (without the registry). */
export function classAgnosticDynamicMask(options: ClassAgnosticDynamicOptions = {}): SoftMaskStrategy {
  const parsed = classAgnosticDynamicOptionsSchema.parse(options, zodEnglish);
  return {
    kind: 'soft',
    name: 'class-agnostic-dynamic',
    compute: (context) => compute(context, parsed),
    explain: (context) => {
      const mask = compute(context, parsed);
      return { mask, parts: { ca: tf.clone(mask) } };
    },
  };
}

export const classAgnosticDynamicDefinition: MaskDefinition<ClassAgnosticDynamicOptions, ClassAgnosticDynamicParsedOptions> = {
  name: 'class-agnostic-dynamic',
  kind: 'soft',
  description: 'Class-agnostic dynamic mask: sigmoid of the standardised change (1 - cos) to the previous visible slot.',
  parseOptions: zodOptions(classAgnosticDynamicOptionsSchema),
  create: (options) => classAgnosticDynamicMask(options),
};

registerMask(classAgnosticDynamicDefinition);
