import { describe, expect, it } from 'vitest';
import { createRng, seedStream } from '@adatosk/core';
import {
  maeDferTestIndices,
  maeDferTrainIndices,
  sampleIndices,
  segmentTestIndices,
  segmentTrainIndices,
} from '@adatosk/datasets/synthetic';

describe('temporal sampling', () => {
  it('MAE-DFER test views: stride 4, start and end windows, short clips padded with the last frame', () => {
    // n = 100, stride 4 -> 25 indices 0..96; views start at 0 and at floor(1 * (25 - 16)) = 9.
    expect(maeDferTestIndices(100, 16, 4, 0, 2)).toEqual(Array.from({ length: 16 }, (_, i) => 4 * i));
    expect(maeDferTestIndices(100, 16, 4, 1, 2)).toEqual(Array.from({ length: 16 }, (_, i) => 36 + 4 * i));
    // n = 11 (DFEW's shortest), stride 4 -> 0, 4, 8, then the last index (8) repeated.
    expect(maeDferTestIndices(11, 16, 4, 0, 2)).toEqual([0, 4, 8, ...Array(13).fill(8)]);
    expect(maeDferTestIndices(11, 16, 4, 1, 2)).toEqual(maeDferTestIndices(11, 16, 4, 0, 2));
    // FERV39K stride 1.
    expect(maeDferTestIndices(20, 16, 1, 1, 2)).toEqual(Array.from({ length: 16 }, (_, i) => 4 + i));
  });

  it('MAE-DFER train: a random window of 16 x stride, or the whole clip padded', () => {
    const rng = createRng(1);
    for (let k = 0; k < 50; k++) {
      const idx = maeDferTrainIndices(200, 16, 4, rng);
      expect(idx).toHaveLength(16);
      const span = idx[15]! - idx[0]!;
      expect(span).toBeGreaterThanOrEqual(58);
      expect(span).toBeLessThanOrEqual(64);
      expect(idx.every((v, i) => i === 0 || v >= idx[i - 1]!)).toBe(true);
      expect(idx[15]).toBeLessThan(200);
    }
    // n <= 64: linspace(0, n, n // 4) then padding with n - 1 (numpy: linspace(0, 40, 10) -> 0, 4.44, ... 40 clipped to 39).
    expect(maeDferTrainIndices(40, 16, 4, rng)).toEqual([0, 4, 8, 13, 17, 22, 26, 31, 35, 39, 39, 39, 39, 39, 39, 39]);
    expect(maeDferTrainIndices(3, 16, 4, rng)).toEqual(Array(16).fill(2));
  });

  it('DFER-CLIP segments: one per segment (random in train, middle in test), edge padding', () => {
    expect(segmentTestIndices(32, 16)).toEqual(Array.from({ length: 16 }, (_, i) => 1 + 2 * i));
    expect(segmentTestIndices(10, 16)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9]);
    const rng = createRng(2);
    const idx = segmentTrainIndices(48, 16, rng);
    idx.forEach((v, i) => expect(Math.floor(v / 3)).toBe(i));
    const short = segmentTrainIndices(20, 16, rng);
    expect(short).toHaveLength(16);
    expect(new Set(short).size).toBe(16);
    expect([...short].sort((a, b) => a - b)).toEqual(short);
  });

  it('is deterministic by seed and rejects empty clips', () => {
    const opts = { kind: 'mae-dfer' as const, numFrames: 16, stride: 4, testViews: 2 };
    expect(sampleIndices(300, opts, 'train', 0, seedStream(0, 1, 2))).toEqual(sampleIndices(300, opts, 'train', 0, seedStream(0, 1, 2)));
    expect(sampleIndices(300, opts, 'train', 0, seedStream(0, 1, 2))).not.toEqual(
      sampleIndices(300, opts, 'train', 0, seedStream(0, 2, 2)),
    );
    expect(() => sampleIndices(0, opts, 'test', 0, createRng(0))).toThrow(/empty clip/);
  });
});
