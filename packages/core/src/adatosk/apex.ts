// How often a mask's top tokens fall on a clip's key moment: precision at k against the apex frames a
// synthetic clip records, next to the precision a random choice of k visible tokens has on average.

export interface ApexPrecision {
  /** Fraction of the k top-scored tokens whose temporal slot holds an apex frame. */
  precision: number;
  /** Expected precision of k visible tokens drawn at random: the fraction of visible tokens on apex slots. */
  chance: number;
}

export interface ApexPrecisionInput {
  /** Token indices (`tau * N + n`) of the visible tokens. */
  visible: readonly number[];
  /** A score per visible token (same order). */
  scores: readonly number[];
  /** How many top-scored tokens to count. */
  k: number;
  /** Frames (0-based, in the model's input clip) at the expression's apex. */
  apexFrames: readonly number[];
  /** Patches per temporal slot, `N`. */
  tokensPerSlot: number;
  /** Frames per temporal slot (the tubelet size). */
  tubeletSize: number;
}

/**
 * Precision at k of one clip's scores on its apex slots (a slot holds an apex frame when one of its
 * `tubeletSize` frames is one). Ties are broken by the lower token index. Returns undefined for a clip
 * without apex frames (the synthetic Neutral class shows no expression to find).
 */
export function apexPrecisionAtK(input: ApexPrecisionInput): ApexPrecision | undefined {
  const { visible, scores, apexFrames, tokensPerSlot, tubeletSize } = input;
  if (apexFrames.length === 0 || visible.length === 0) return undefined;
  if (scores.length !== visible.length)
    throw new RangeError(`apexPrecisionAtK: ${scores.length} scores for ${visible.length} visible tokens`);
  if (!(Number.isInteger(tokensPerSlot) && tokensPerSlot > 0 && Number.isInteger(tubeletSize) && tubeletSize > 0)) {
    throw new RangeError(`apexPrecisionAtK: tokensPerSlot (${tokensPerSlot}) and tubeletSize (${tubeletSize}) must be positive integers`);
  }
  const k = Math.min(visible.length, Math.max(1, Math.floor(input.k)));
  const slots = new Set(apexFrames.map((f) => Math.floor(f / tubeletSize)));
  const onApex = (token: number) => slots.has(Math.floor(token / tokensPerSlot));
  const order = visible.map((_, j) => j).sort((a, b) => scores[b]! - scores[a]! || visible[a]! - visible[b]!);
  let hits = 0;
  for (let i = 0; i < k; i++) if (onApex(visible[order[i]!]!)) hits++;
  const chance = visible.filter(onApex).length / visible.length;
  return { precision: hits / k, chance };
}

/** Mean precision and chance over the clips that have apex frames (undefined entries are skipped). */
export function meanApexPrecision(values: readonly (ApexPrecision | undefined)[]): ApexPrecision & { clips: number } {
  const list = values.filter((v): v is ApexPrecision => v !== undefined);
  if (list.length === 0) return { precision: NaN, chance: NaN, clips: 0 };
  const sum = list.reduce((a, v) => ({ precision: a.precision + v.precision, chance: a.chance + v.chance }), { precision: 0, chance: 0 });
  return { precision: sum.precision / list.length, chance: sum.chance / list.length, clips: list.length };
}
