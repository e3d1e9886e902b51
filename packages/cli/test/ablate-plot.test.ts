import { describe, expect, it } from 'vitest';
import { labelPositions } from '../src/ablate/plot.js';

describe('ablation plot labels', () => {
  it('pushes apart the labels of rows at about the same cost, keeping their order, and leaves the others alone', () => {
    const points = [
      { gflops: 0.0105, war: 89.8 }, // alone in its column
      { gflops: 0.00487, war: 91.7 },
      { gflops: 0.00487, war: 93.3 },
      { gflops: 0.00487, war: 36.9 },
      { gflops: 0.00487, war: 36.0 },
      { gflops: 0.00326, war: 75.0 },
    ];
    const y = labelPositions(points);
    const gap = 0.04 * (93.3 - 36.0);
    expect(y[0]).toBe(89.8);
    expect(y[5]).toBe(75.0);
    expect(y[2]).toBe(93.3); // the highest of a column keeps its place
    expect(y[2]! - y[1]!).toBeCloseTo(Math.max(gap, 93.3 - 91.7), 9);
    expect(y[3]).toBe(36.9);
    expect(y[3]! - y[4]!).toBeCloseTo(gap, 9);
    // labels far apart already stay where they are
    expect(
      labelPositions([
        { gflops: 1, war: 10 },
        { gflops: 1, war: 90 },
      ]),
    ).toEqual([10, 90]);
  });
});
