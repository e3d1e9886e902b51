import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classActivation, classWeights, combinedMask } from '@adatosk/masks';
import { useCpu } from './backend.js';
import { array2d, contextOf, randomCase } from './helpers.js';

beforeAll(useCpu);

const grid = { frames: 3, height: 2, width: 2 };
const tokens = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];

describe("classTarget: 'expected'", () => {
  it('uses the label when there is one, exactly as argmax does', () => {
    const c = randomCase(11, grid, tokens, 6, 4, [2]);
    const ctx = contextOf(c);
    expect(array2d(classWeights(ctx, 'expected'))).toEqual([[0, 0, 1, 0]]);
    expect(array2d(classActivation(ctx, 'expected'))).toEqual(array2d(classActivation(ctx, 'argmax')));
  });

  it("without a label weights each class's activation by the clip's class probabilities", () => {
    const c = randomCase(12, grid, tokens, 6, 4);
    const logits = tf.tensor2d([[2, 0.5, -1, 0]]);
    const ctx = { ...contextOf(c), logits };
    const p = tf.softmax(logits).arraySync() as number[][];
    expect(array2d(classWeights(ctx, 'expected'))[0]!.map((x, i) => Math.abs(x - p[0]![i]!) < 1e-6)).toEqual([true, true, true, true]);
    // the expected activation, min-max normalised, by hand
    const zc = tf.reshape(ctx.classifier.fcNorm(ctx.features), [12, 6]);
    const perClass = tf.matMul(zc, ctx.classifier.weight).arraySync() as number[][];
    const raw = perClass.map((row) => row.reduce((a, v, k) => a + v * p[0]![k]!, 0));
    const lo = Math.min(...raw),
      hi = Math.max(...raw);
    const expected = raw.map((v) => (v - lo) / (hi - lo));
    array2d(classActivation(ctx, 'expected'))[0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    // argmax keeps the SPEC's single predicted class
    const top = perClass.map((row) => row[0]!);
    const tlo = Math.min(...top),
      thi = Math.max(...top);
    array2d(classActivation(ctx, 'argmax'))[0]!.forEach((v, i) => expect(v).toBeCloseTo((top[i]! - tlo) / (thi - tlo), 5));
  });

  it('is an option of the combined mask, validated by name', () => {
    const c = randomCase(13, grid, tokens, 6, 4);
    const m = combinedMask({ classTarget: 'expected' }).compute(contextOf(c));
    expect(m.shape).toEqual([1, 12]);
    expect(() => combinedMask({ classTarget: 'mean' as never })).toThrow(/classTarget/);
  });
});
