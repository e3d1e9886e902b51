import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics, confusionMatrix, evaluate, runKFold, summarize } from '../src/eval/index.js';
import type { TrainEvent } from '../src/events/index.js';
import { StandInModel, standInData } from './train-helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('metrics', () => {
  it('computes UAR, WAR, per-class recall and the confusion matrix', () => {
    const labels = [0, 0, 0, 0, 1, 1, 2];
    const preds = [0, 0, 0, 1, 1, 0, 2];
    const m = computeMetrics(labels, preds, 3);
    expect(m.confusion).toEqual([
      [3, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(m.war).toBeCloseTo(5 / 7);
    expect(m.perClassRecall).toEqual([0.75, 0.5, 1]);
    expect(m.uar).toBeCloseTo(0.75);
    expect(m.count).toBe(7);
  });
  it('ignores classes with no sample in UAR and rejects bad labels', () => {
    const m = computeMetrics([0, 0], [0, 1], 3);
    expect(m.uar).toBe(0.5);
    expect(Number.isNaN(m.perClassRecall[2])).toBe(true);
    expect(() => confusionMatrix([5], [0], 3)).toThrow(/label 5/);
  });
  it('summarises folds (MAE-DFER DFEW fold UARs average to 63.41)', () => {
    const s = summarize([62.59, 61.96, 64.0, 63.07, 65.42]);
    expect(s.mean).toBeCloseTo(63.408, 3);
    expect(s.min).toBe(61.96);
  });
});

describe('evaluate and k-fold', () => {
  it('averages softmax over views', async () => {
    const model = new StandInModel();
    const data = standInData(6);
    const r = await evaluate(model, data, { batchSize: 4 });
    expect(r.count).toBe(6);
    // Check sample 0 by hand.
    const { clips } = await data.loadViews([0]);
    const p = model.predict(clips);
    const probs = await p.probs.array();
    tf.dispose([clips, p.logits, p.probs]);
    for (let c = 0; c < 3; c++) expect(r.probs[c]).toBeCloseTo((probs[0][c] + probs[1][c]) / 2, 5);
    model.dispose();
  });
  it('runs every fold and reports mean and spread', async () => {
    const events: TrainEvent[] = [];
    const r = await runKFold(
      [1, 2, 3],
      async (f) => computeMetrics([0, 1], f === 2 ? [0, 0] : [0, 1], 2),
      (e) => events.push(e),
    );
    expect(r.war.mean).toBeCloseTo((1 + 0.5 + 1) / 3);
    expect(r.uar.std).toBeGreaterThan(0);
    expect(events.map((e) => e.type)).toEqual(['fold', 'fold', 'fold']);
    await expect(runKFold([], async () => computeMetrics([0], [0], 1))).rejects.toThrow(/no folds/);
  });
});
