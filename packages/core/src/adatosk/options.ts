// AdaTosk's knobs, their defaults (SPEC sections 2 and 4) and their validation.
import * as z from 'zod/mini';
import { zodEnglish } from '../config/zodEnglish.js';
import type { HardMaskStrategy, SoftMaskStrategy } from '../masks/types.js';
import type { MaskSpec } from '../masks/registry.js';

/** What the training loss optimises. */
export type AdaToskObjective = 'joint' | 'pretrain' | 'classify';

/** Which class the class-semantic mask scores while training. */
export type SemanticTarget = 'label' | 'prediction';

/** How the kept tokens are pooled before the classifier. */
export type AdaToskPooling = 'weighted' | 'mean';

export interface AdaToskOptions {
  /** `joint` (default): L_cls + lambda L_rec; `pretrain`: L_rec only; `classify`: L_cls only (no decoder run). */
  objective?: AdaToskObjective;
  /** Hard mask strategy (name + options, or an instance). Default `{ name: 'hard-random' }` (tube). */
  hardMask?: MaskSpec | HardMaskStrategy;
  /** Soft mask strategy (name + options, or an instance). Default `{ name: 'combined' }`. */
  softMask?: MaskSpec | SoftMaskStrategy;
  /** Training hard-mask ratio. Default 0.5 (0.9 with `objective: 'pretrain'`). */
  rhoH?: number;
  /** Fraction of visible tokens the soft mask keeps, `k = ceil(rhoS * V)`. Default 0.5. */
  rhoS?: number;
  /**
   * Encoder layer after which the soft mask is computed and tokens are selected (0..numLayers);
   * only kept tokens run the remaining layers. Default: numLayers (after the last layer).
   */
  selectAtLayer?: number;
  /** Inference hard-mask ratio (deterministic, spatially even tube). Default 0.5. */
  rhoHInfer?: number;
  /** Weight of L_rec. Default 1. */
  lambda?: number;
  /** Label smoothing of L_cls. Default 0.1. */
  labelSmoothing?: number;
  /** Soft mask scores carry no gradient. Default true. */
  detachMask?: boolean;
  /**
   * Pooling of the kept tokens: `weighted` (default, the SPEC's mask-weighted mean `sum(m z) / sum(m)`)
   * or `mean` (plain mean; the scores only choose the tokens). With `rhoS: 1` and `mean` no token is
   * selected, so the soft mask is not computed at all (a plain ViT classifier on the visible tokens).
   */
  pooling?: AdaToskPooling;
  /**
   * The class the soft mask's class-semantic part scores while training: `label` (default, as the SPEC
   * says) gives it the true label; `prediction` gives it nothing, so it uses the clip's current
   * prediction exactly as at inference (token selection then cannot see the label; see docs/masks.md).
   */
  semanticTarget?: SemanticTarget;
  /** Seed for the per-step randomness when computeLoss gets no rng. Default 0. */
  seed?: number;
}

const ratio = (name: string, max: 'open' | 'closed') =>
  z.number().check(
    z.minimum(0, `${name} must be >= 0`),
    z.refine((v) => (max === 'open' ? v < 1 : v <= 1), `${name} must be ${max === 'open' ? '< 1' : '<= 1'}`),
  );

export const adaToskNumericOptionsSchema = z.object({
  objective: z._default(z.enum(['joint', 'pretrain', 'classify']), 'joint'),
  rhoH: z.optional(ratio('rhoH', 'open')),
  rhoS: z._default(ratio('rhoS', 'closed').check(z.refine((v) => v > 0, 'rhoS must be > 0')), 0.5),
  selectAtLayer: z.optional(z.int().check(z.minimum(0))),
  rhoHInfer: z._default(ratio('rhoHInfer', 'open'), 0.5),
  lambda: z._default(z.number().check(z.minimum(0)), 1),
  labelSmoothing: z._default(ratio('labelSmoothing', 'open'), 0.1),
  detachMask: z._default(z.boolean(), true),
  pooling: z._default(z.enum(['weighted', 'mean']), 'weighted'),
  semanticTarget: z._default(z.enum(['label', 'prediction']), 'label'),
  seed: z._default(z.int(), 0),
});

/** Options after defaults, as the model uses them. */
export interface ResolvedAdaToskOptions {
  objective: AdaToskObjective;
  rhoH: number;
  rhoS: number;
  selectAtLayer: number;
  rhoHInfer: number;
  lambda: number;
  labelSmoothing: number;
  detachMask: boolean;
  pooling: AdaToskPooling;
  semanticTarget: SemanticTarget;
  seed: number;
}

/** Fills defaults and checks ranges; errors name the option and the allowed range. */
export function resolveAdaToskOptions(options: AdaToskOptions, numLayers: number): ResolvedAdaToskOptions {
  const { hardMask: _h, softMask: _s, ...numeric } = options;
  const parsed = adaToskNumericOptionsSchema.safeParse(numeric, zodEnglish);
  if (!parsed.success) throw new Error(`Invalid AdaTosk options: ${z.prettifyError(parsed.error)}`);
  const o = parsed.data;
  const selectAtLayer = o.selectAtLayer ?? numLayers;
  if (selectAtLayer > numLayers) {
    throw new RangeError(`Invalid AdaTosk options: selectAtLayer ${selectAtLayer} is past the last encoder layer (0..${numLayers}).`);
  }
  return { ...o, rhoH: o.rhoH ?? (o.objective === 'pretrain' ? 0.9 : 0.5), selectAtLayer };
}
