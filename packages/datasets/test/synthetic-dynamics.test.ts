import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@adatosk/core';
import { createSyntheticDataset } from '@adatosk/datasets/synthetic';
import { poolGrey, softmaxAccuracy } from './helpers/linear.js';

// The synthetic task must need the clip's dynamics: the same linear learner on pooled pixels does much
// better with the clip (key frame minus the clip's own neutral reference) than with one random frame.
describe('synthetic dataset dynamics', () => {
  const opts = { numFrames: 8, size: 64, seed: 3 } as const;
  const train = createSyntheticDataset({ ...opts, split: 'train', numClips: 420 });
  const test = createSyntheticDataset({ ...opts, split: 'test', numClips: 210 });
  const grid = 16;

  // Pooled grey divided by its mean: removes the global lighting gain, keeps the layout.
  const pooled = (frame: Uint8Array) => {
    const p = poolGrey(frame, 64, grid);
    const m = p.reduce((a, b) => a + b, 0) / p.length;
    return p.map((x) => x / m);
  };
  // Clip: per cell, the largest rise and fall over time around the cell's temporal median (the neutral face).
  const clipFeature = (frames: Uint8Array[]) => {
    const p = frames.map(pooled);
    const d = p[0]!.length;
    const out = new Float64Array(2 * d);
    for (let j = 0; j < d; j++) {
      const v = p.map((q) => q[j]!).sort((a, b) => a - b);
      const median = v[Math.floor(v.length / 2)]!;
      out[j] = v[v.length - 1]! - median;
      out[d + j] = v[0]! - median;
    }
    return out;
  };
  const frameFeature = (frames: Uint8Array[], rng: Rng) => pooled(frames[rng.int(frames.length)]!);

  it('a single random frame is clearly worse than the whole clip', () => {
    const rng = createRng(11);
    const tr = Array.from({ length: train.length }, (_, i) => train.render(i));
    const te = Array.from({ length: test.length }, (_, i) => test.render(i));
    const ytr = tr.map((c) => c.label),
      yte = te.map((c) => c.label);
    const clipAcc = softmaxAccuracy(
      tr.map((c) => clipFeature(c.frames)),
      ytr,
      te.map((c) => clipFeature(c.frames)),
      yte,
      7,
    );
    const frameAcc = softmaxAccuracy(
      tr.map((c) => frameFeature(c.frames, rng)),
      ytr,
      te.map((c) => frameFeature(c.frames, rng)),
      yte,
      7,
    );
    console.log({ clipAcc, frameAcc });
    expect(clipAcc).toBeGreaterThan(0.45);
    expect(clipAcc - frameAcc).toBeGreaterThan(0.25);
  });

  it('most frames are near neutral, so one frame rarely shows the expression', () => {
    let visible = 0,
      total = 0;
    for (let i = 0; i < train.length; i++) {
      const c = train.render(i);
      if (c.label === 2) continue;
      visible += c.intensity.filter((k) => k >= 0.5).length;
      total += c.intensity.length;
      expect(c.apexFrames.length).toBeGreaterThan(0);
      for (const a of c.apexFrames) expect(c.intensity[a]).toBeGreaterThanOrEqual(0.95 * Math.max(...c.intensity));
    }
    // A perfect single-frame recogniser is right when the expression shows, else guesses: bound its accuracy.
    const pVisible = visible / total;
    console.log({ pVisible, bound: pVisible + (1 - pVisible) / 7 });
    expect(pVisible).toBeLessThan(0.45);
  });
});
