// Mixup and CutMix on whole clips (the same box in every frame), seeded. Labels stay integers: the loss is mixed
// instead, lam * L(x, y) + (1 - lam) * L(x, y_perm), which equals the soft-label loss for cross-entropy.
import * as tf from '@tensorflow/tfjs-core';
import { sampleBeta } from '../random/distributions.js';
import type { Rng } from '../random/rng.js';

export interface MixOptions {
  /** Beta(alpha, alpha) for mixup; 0 disables mixup. */
  mixupAlpha: number;
  /** Beta(alpha, alpha) for cutmix; 0 disables cutmix. */
  cutmixAlpha: number;
  /** Probability of mixing a batch at all. */
  prob: number;
  /** When both are enabled, probability of cutmix instead of mixup. */
  switchProb: number;
}

export interface MixedBatch {
  clips: tf.Tensor5D;
  labelsA: tf.Tensor1D;
  labelsB: tf.Tensor1D;
  /** Weight of labelsA. */
  lam: number;
  kind: 'mixup' | 'cutmix';
}

/** Returns null when this batch is not mixed. The partner of sample i is sample B-1-i (timm's flip). */
export function mixBatch(clips: tf.Tensor5D, labels: tf.Tensor1D, opts: MixOptions, rng: Rng): MixedBatch | null {
  const useMix = opts.mixupAlpha > 0;
  const useCut = opts.cutmixAlpha > 0;
  if (!useMix && !useCut) return null;
  if (rng.float() >= opts.prob) return null;
  const cut = useCut && (!useMix || rng.float() < opts.switchProb);
  const [, , h, w] = clips.shape;
  if (!cut) {
    const lam = sampleBeta(rng, opts.mixupAlpha);
    const mixed = tf.tidy(() => tf.add(tf.mul(clips, lam), tf.mul(tf.reverse(clips, 0), 1 - lam)) as tf.Tensor5D);
    return { clips: mixed, labelsA: labels.clone(), labelsB: tf.reverse(labels, 0), lam, kind: 'mixup' };
  }
  const lam0 = sampleBeta(rng, opts.cutmixAlpha);
  const ratio = Math.sqrt(1 - lam0);
  const ch = Math.round(h * ratio);
  const cw = Math.round(w * ratio);
  const cy = rng.int(h);
  const cx = rng.int(w);
  const y0 = Math.max(0, Math.min(h, cy - Math.floor(ch / 2)));
  const y1 = Math.max(0, Math.min(h, cy + Math.ceil(ch / 2)));
  const x0 = Math.max(0, Math.min(w, cx - Math.floor(cw / 2)));
  const x1 = Math.max(0, Math.min(w, cx + Math.ceil(cw / 2)));
  const lam = 1 - ((y1 - y0) * (x1 - x0)) / (h * w);
  const mask = new Float32Array(h * w);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask[y * w + x] = 1;
  const mixed = tf.tidy(() => {
    const m = tf.tensor(mask, [1, 1, h, w, 1]);
    return tf.add(tf.mul(clips, tf.sub(1, m)), tf.mul(tf.reverse(clips, 0), m)) as tf.Tensor5D;
  });
  return { clips: mixed, labelsA: labels.clone(), labelsB: tf.reverse(labels, 0), lam, kind: 'cutmix' };
}
