import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSoftMask } from '@adatosk/core';
import { BUILTIN_MASKS, evenSpreadScore, randomSelectMask, uniformSelectMask } from '@adatosk/masks';
import { useCpu } from './backend.js';
import { array2d, contextOf, randomCase } from './helpers.js';

beforeAll(useCpu);

const grid = { frames: 8, height: 6, width: 6 };
const all = Array.from({ length: 8 * 36 }, (_, i) => i);

/** Indices of the k largest values, as tf.topk would keep them. */
function topK(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

describe('uniform-select', () => {
  it('keeps, for any k, tokens spread evenly over the slots and over the patch grid', () => {
    const c = randomCase(1, grid, [all], 4);
    const scores = array2d(uniformSelectMask().compute(contextOf(c)))[0]!;
    expect(scores.every((s) => s >= 0 && s < 1)).toBe(true);
    for (const k of [36, 72, 144]) {
      const kept = topK(scores, k);
      const perSlot = Array.from({ length: 8 }, (_, tau) => kept.filter((t) => Math.floor(t / 36) === tau).length);
      // every slot keeps k/8 tokens, give or take one
      for (const n of perSlot) expect(Math.abs(n - k / 8)).toBeLessThanOrEqual(1.01);
      // the kept positions cover every row and every column of the 6x6 grid
      const rows = new Set(kept.map((t) => Math.floor((t % 36) / 6)));
      const cols = new Set(kept.map((t) => t % 6));
      expect(rows.size).toBe(6);
      expect(cols.size).toBe(6);
    }
  });

  it('ranks by token position only: the features do not matter', () => {
    const a = randomCase(2, grid, [all, all], 4);
    const b = randomCase(3, grid, [all, all], 4);
    expect(array2d(uniformSelectMask().compute(contextOf(a)))).toEqual(array2d(uniformSelectMask().compute(contextOf(b))));
    expect(evenSpreadScore(0)).toBeCloseTo((Math.sqrt(5) - 1) / 2, 12);
  });
});

describe('random-select', () => {
  it('is deterministic for the same features and seed, and differs with either', () => {
    const c = randomCase(4, grid, [all], 8);
    const first = array2d(randomSelectMask({ seed: 1 }).compute(contextOf(c)));
    expect(array2d(randomSelectMask({ seed: 1 }).compute(contextOf(c)))).toEqual(first);
    expect(array2d(randomSelectMask({ seed: 2 }).compute(contextOf(c)))).not.toEqual(first);
    const other = randomCase(5, grid, [all], 8);
    expect(array2d(randomSelectMask({ seed: 1 }).compute(contextOf(other)))).not.toEqual(first);
  });

  it('scores look uniform on [0, 1) and carry no information about the slot', () => {
    const c = randomCase(6, grid, [all, all, all, all], 8);
    const scores = array2d(randomSelectMask().compute(contextOf(c))).flat();
    expect(scores.every((s) => s >= 0 && s < 1)).toBe(true);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    // the top quarter of each clip is spread over the slots like a random draw (no slot gets most of it)
    const perClip = array2d(randomSelectMask().compute(contextOf(c)));
    for (const row of perClip) {
      const kept = topK(row, 72);
      const perSlot = Array.from({ length: 8 }, (_, tau) => kept.filter((t) => Math.floor(t / 36) === tau).length);
      expect(Math.max(...perSlot)).toBeLessThan(24);
    }
  });

  it('passes no gradient to the features', () => {
    const c = randomCase(7, grid, [all], 8);
    const z = tf.variable(tf.tensor3d(c.z));
    const g = tf.grad((x: tf.Tensor) => tf.sum(randomSelectMask().compute(contextOf(c, x as tf.Tensor3D))))(z);
    expect(Math.max(...(g.dataSync() as Float32Array).map(Math.abs))).toBe(0);
  });
});

describe('registry', () => {
  it('registers both baselines by name with validated options', () => {
    expect(BUILTIN_MASKS).toContain('random-select');
    expect(BUILTIN_MASKS).toContain('uniform-select');
    expect(createSoftMask('random-select', { seed: 3 }).name).toBe('random-select');
    expect(createSoftMask('uniform-select', {}).name).toBe('uniform-select');
    expect(() => createSoftMask('uniform-select', { beta: 1 } as never)).toThrow(/beta/);
  });
});
