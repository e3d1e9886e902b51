// `class-semantic-similar`: keeps tokens that speak for the class and discounts tokens that repeat
// what an earlier slot already showed.
//   a = W_c . fc_norm(z), min-max normalised per clip (c: the label, else the predicted class)
//   s = max(0, cos(z, z_pred)), 0 without a predecessor
//   r = s * (r_pred + a_pred), r = 0 without a predecessor (carried slot to slot)
//   m_cs = a / (1 + r), divided by its per-clip maximum
import * as tf from '@tensorflow/tfjs-core';
import { registerMask, type MaskDefinition, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';
import * as z from 'zod/mini';
import { classTargetOption, detachMaskOption, zodEnglish, zodOptions, type ClassTarget } from '../common/options.js';
import { maxNormRows, minMaxRows } from '../common/normalise.js';
import { temporalCosines, type TemporalCosines } from '../common/temporal.js';
import { gatherRows } from '../common/gather.js';
import { maybeDetached } from '../common/detach.js';

export const classSemanticSimilarOptionsSchema = z.strictObject({
  /** Compute the scores without gradient (default true). */
  detachMask: detachMaskOption,
  /** Which class activation without a label: `argmax` (default) or `expected` (see {@link classTarget}). */
  classTarget: classTargetOption,
});

export type ClassSemanticSimilarOptions = z.input<typeof classSemanticSimilarOptionsSchema>;
/** Options after validation, defaults filled in. */
export type ClassSemanticSimilarParsedOptions = z.output<typeof classSemanticSimilarOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    'class-semantic-similar': ClassSemanticSimilarOptions;
  }
}

/**
 * The class each clip's activation map is taken for, `[B]` int32: the label when given, else the
 * argmax of the given logits, else the classifier's prediction on fc_norm of the mean visible token.
 */
export function targetClasses(context: SoftMaskContext): tf.Tensor1D {
  return tf.tidy(() => {
    const [b] = context.features.shape;
    if (context.labels) {
      if (context.labels.shape[0] !== b) {
        throw new RangeError(`soft mask: context.labels has ${context.labels.shape[0]} entries for a batch of ${b}.`);
      }
      return tf.cast(context.labels, 'int32');
    }
    if (context.logits) return tf.argMax(context.logits, -1) as tf.Tensor1D;
    const { weight, bias, fcNorm } = context.classifier;
    const pooled = fcNorm(tf.mean(context.features, 1)) as tf.Tensor2D;
    const logits = bias ? tf.add(tf.matMul(pooled, weight), bias) : tf.matMul(pooled, weight);
    return tf.argMax(logits, -1) as tf.Tensor1D;
  });
}

/**
 * Weights of each class's activation, `[B, C]`: one-hot of the label when given; otherwise one-hot of the argmax
 * (`argmax`, the SPEC's predicted class) or the clip's class probabilities (`expected`: the activation expected
 * under the current prediction, which is nearly the mean over classes while the classifier is still unsure,
 * so an early wrong guess cannot pick the tokens).
 */
export function classWeights(context: SoftMaskContext, target: ClassTarget = 'argmax'): tf.Tensor2D {
  return tf.tidy(() => {
    const classes = context.classifier.weight.shape[1];
    if (context.labels || target === 'argmax') return tf.cast(tf.oneHot(targetClasses(context), classes), 'float32') as tf.Tensor2D;
    if (context.logits) return tf.softmax(context.logits) as tf.Tensor2D;
    const { weight, bias, fcNorm } = context.classifier;
    const pooled = fcNorm(tf.mean(context.features, 1)) as tf.Tensor2D;
    return tf.softmax(bias ? tf.add(tf.matMul(pooled, weight), bias) : tf.matMul(pooled, weight)) as tf.Tensor2D;
  });
}

/** The min-max normalised class activation `a`, `[B, V]`. */
export function classActivation(context: SoftMaskContext, target: ClassTarget = 'argmax'): tf.Tensor2D {
  return tf.tidy(() => {
    const { weight, fcNorm } = context.classifier;
    const [, , d] = context.features.shape;
    if (weight.shape[0] !== d) {
      throw new RangeError(`soft mask: classifier.weight is [${weight.shape.join(', ')}]; expected [D=${d}, classes] (input-major).`);
    }
    const [b, v] = context.features.shape;
    const classes = weight.shape[1];
    const zc = tf.reshape(fcNorm(context.features), [b * v, d]);
    // Every class's activation, then pick the target's with a one-hot (no gather on the weights:
    // its gradient would need UnsortedSegmentSum, missing on wasm).
    const perClass = tf.reshape(tf.matMul(zc, weight), [b, v, classes]);
    const pick = tf.expandDims(classWeights(context, target), 1); // [B, 1, C]
    const a = tf.sum(tf.mul(perClass, pick), -1) as tf.Tensor2D;
    return minMaxRows(a);
  });
}

/** The accumulated temporal score `r`, `[B, V]`, from activations `a` and measured cosines. */
export function accumulatedScore(a: tf.Tensor2D, cosines: TemporalCosines): tf.Tensor2D {
  const [b, v] = a.shape;
  const s = tf.mul(tf.relu(cosines.cosPred), cosines.hasPred); // 0 without a predecessor
  const aFlat = tf.reshape(a, [b * v]);
  let r: tf.Tensor = tf.zerosLike(aFlat);
  // r = s * (r_pred + a_pred): one pass per chain link; after maxDepth passes every chain is exact.
  for (let i = 0; i < cosines.neighbours.maxDepth; i++) {
    r = tf.mul(s, gatherRows(tf.add(r, aFlat) as tf.Tensor1D, cosines.predIndex));
  }
  return tf.reshape(r, [b, v]) as tf.Tensor2D;
}

/** `m_cs` from activations and measured cosines (call inside tf.tidy). */
export function similarScores(a: tf.Tensor2D, cosines: TemporalCosines): tf.Tensor2D {
  const r = accumulatedScore(a, cosines);
  return maxNormRows(tf.div(a, tf.add(r, 1)) as tf.Tensor2D);
}

function compute(context: SoftMaskContext, options: ClassSemanticSimilarParsedOptions): tf.Tensor2D {
  return tf.tidy(() =>
    maybeDetached(options.detachMask, context.features, (features) => {
      const ctx = { ...context, features };
      return similarScores(classActivation(ctx, options.classTarget), temporalCosines(ctx));
    }),
  );
}

/** Creates the `class-semantic-similar` strategy directly (without the registry). */
export function classSemanticSimilarMask(options: ClassSemanticSimilarOptions = {}): SoftMaskStrategy {
  const parsed = classSemanticSimilarOptionsSchema.parse(options, zodEnglish);
  return {
    kind: 'soft',
    name: 'class-semantic-similar',
    compute: (context) => compute(context, parsed),
    explain: (context) => {
      const mask = compute(context, parsed);
      return { mask, parts: { cs: tf.clone(mask) } };
    },
  };
}

export const classSemanticSimilarDefinition: MaskDefinition<ClassSemanticSimilarOptions, ClassSemanticSimilarParsedOptions> = {
  name: 'class-semantic-similar',
  kind: 'soft',
  description: 'Class-semantic similar mask: class activation discounted by a score accumulated over repeating slots.',
  parseOptions: zodOptions(classSemanticSimilarOptionsSchema),
  create: (options) => classSemanticSimilarMask(options),
};

registerMask(classSemanticSimilarDefinition);
