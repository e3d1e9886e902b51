// Named difficulty settings of the synthetic generator.
import type { SyntheticClipOptions } from './generator.js';

/**
 * The key-moment benchmark (docs/results.md): the expression shows for 40-60% of the clip (a rise, a brief
 * apex and a relaxation, about 6-10 of 16 frames) among near-repeated neutral frames (little head motion and
 * lighting drift, 30% repeated frames), with distracting motion elsewhere (two background shapes drifting at
 * twice the default speed, blinks and talking). Use it at 16 frames so a clip has 8 temporal slots. (A span of
 * 25-40% with three shapes left the full-token reference at chance in the ablation's budget: docs/results.md.)
 */
export const SYNTHETIC_KEY_MOMENT: Readonly<Required<Omit<SyntheticClipOptions, 'numFrames' | 'size' | 'intensity'>>> = Object.freeze({
  activeSpan: [0.4, 0.6] as [number, number],
  jitter: 0.1,
  lighting: 0.1,
  clutter: 2,
  clutterMotion: 2,
  noise: 0.01,
  repeatProb: 0.3,
  distractors: true,
});
