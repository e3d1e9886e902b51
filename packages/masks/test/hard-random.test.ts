import { beforeAll, describe, expect, it } from 'vitest';
import { createHardMask, createRng, type HardMask } from '@adatosk/core';
import { evenTubePositions, hardRandomMask } from '@adatosk/masks';

const grid = { frames: 4, height: 5, width: 6 }; // N = 30, T'*N = 120
const N = 30;
const TOKENS = 120;

function rows(mask: HardMask): Uint8Array[] {
  return Array.from({ length: mask.batch }, (_, b) => mask.data.slice(b * mask.tokens, (b + 1) * mask.tokens));
}
const sum = (a: Uint8Array) => a.reduce((s, x) => s + x, 0);

describe('hard-random', () => {
  let tube: ReturnType<typeof createHardMask>;
  beforeAll(() => {
    tube = createHardMask('hard-random', {});
  });

  it('tube: hides round(rho*N) positions in every slot, the same count in every sample', () => {
    const mask = tube.sample({ batch: 5, grid, ratio: 0.9, rng: createRng(1) });
    expect(mask.hidden).toBe(4 * Math.round(0.9 * N));
    for (const row of rows(mask)) {
      expect(sum(row)).toBe(4 * 27);
      // identical across slots
      const first = row.slice(0, N);
      for (let tau = 1; tau < 4; tau++) expect(Array.from(row.slice(tau * N, (tau + 1) * N))).toEqual(Array.from(first));
    }
    // samples differ from one another (27 of 30 hidden: 4060 patterns)
    const patterns = new Set(rows(mask).map((r) => r.join('')));
    expect(patterns.size).toBeGreaterThan(1);
  });

  it('is reproducible by seed and differs across seeds', () => {
    const a = tube.sample({ batch: 3, grid, ratio: 0.5, rng: createRng(7) });
    const b = tube.sample({ batch: 3, grid, ratio: 0.5, rng: createRng(7) });
    const c = tube.sample({ batch: 3, grid, ratio: 0.5, rng: createRng(8) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    // the same generator advances: a second draw differs from the first
    const rng = createRng(7);
    const first = tube.sample({ batch: 3, grid, ratio: 0.5, rng });
    const second = tube.sample({ batch: 3, grid, ratio: 0.5, rng });
    expect(Array.from(first.data)).not.toEqual(Array.from(second.data));
  });

  it('random: hides round(rho*T*N) tokens per sample, independently across slots', () => {
    const random = createHardMask('hard-random', { mode: 'random' });
    const mask = random.sample({ batch: 4, grid, ratio: 0.75, rng: createRng(3) });
    expect(mask.hidden).toBe(90);
    for (const row of rows(mask)) expect(sum(row)).toBe(90);
    const slotsDiffer = rows(mask).some((row) => row.slice(0, N).join('') !== row.slice(N, 2 * N).join(''));
    expect(slotsDiffer).toBe(true);
  });

  it('none hides nothing', () => {
    const mask = hardRandomMask({ mode: 'none' }).sample({ batch: 2, grid, ratio: 0.9, rng: createRng(0) });
    expect(mask.hidden).toBe(0);
    expect(sum(mask.data)).toBe(0);
  });

  it('deterministic: a fixed, spatially even tube pattern, independent of the rng', () => {
    const a = tube.sample({ batch: 2, grid: { frames: 2, height: 4, width: 4 }, ratio: 0.5, rng: createRng(1), deterministic: true });
    const b = tube.sample({ batch: 2, grid: { frames: 2, height: 4, width: 4 }, ratio: 0.5, rng: createRng(2), deterministic: true });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const [row0, row1] = rows(a);
    expect(Array.from(row0)).toEqual(Array.from(row1));
    // 0.5 on a 4x4 grid is a checkerboard: no two hidden patches share an edge
    const slot = Array.from(row0.slice(0, 16));
    expect(slot.reduce((s, x) => s + x, 0)).toBe(8);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) {
        if (x < 3) expect(slot[y * 4 + x] + slot[y * 4 + x + 1]).toBe(1);
        if (y < 3) expect(slot[y * 4 + x] + slot[(y + 1) * 4 + x]).toBe(1);
      }
    expect(Array.from(row0.slice(16))).toEqual(slot);
    // random mode uses the same even tube at inference
    const r = hardRandomMask({ mode: 'random' }).sample({
      batch: 2,
      grid: { frames: 2, height: 4, width: 4 },
      ratio: 0.5,
      rng: createRng(1),
      deterministic: true,
    });
    expect(Array.from(r.data)).toEqual(Array.from(a.data));
  });

  it('even pattern keeps kept patches spread over a 10x10 grid at every ratio', () => {
    for (const ratio of [0.25, 0.5, 0.75, 0.9]) {
      const hidden = new Set(evenTubePositions(10, 10, ratio));
      expect(hidden.size).toBe(Math.round(ratio * 100));
      // every 5x5 quadrant keeps a share of patches close to the overall share
      const kept = 100 - hidden.size;
      for (const [y0, x0] of [
        [0, 0],
        [0, 5],
        [5, 0],
        [5, 5],
      ]) {
        let k = 0;
        for (let y = y0; y < y0 + 5; y++) for (let x = x0; x < x0 + 5; x++) if (!hidden.has(y * 10 + x)) k++;
        expect(Math.abs(k - kept / 4)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('rejects a ratio that hides everything, bad grids and a missing rng with clear messages', () => {
    expect(() => tube.sample({ batch: 1, grid: { frames: 2, height: 2, width: 2 }, ratio: 0.9, rng: createRng(0) })).toThrow(
      /all 8 tokens are hidden/,
    );
    expect(() => tube.sample({ batch: 1, grid, ratio: 1, rng: createRng(0) })).toThrow(/0 <= ratio < 1/);
    expect(() => tube.sample({ batch: 1, grid: { frames: 2, height: 0, width: 2 }, ratio: 0.5, rng: createRng(0) })).toThrow(
      /grid\.height must be a positive integer/,
    );
    // @ts-expect-error rng is required
    expect(() => tube.sample({ batch: 1, grid, ratio: 0.5 })).toThrow(/seeded rng/);
    // @ts-expect-error unknown mode
    expect(() => createHardMask('hard-random', { mode: 'tubes' })).toThrow(/Invalid options for mask 'hard-random'.*mode/s);
    expect(TOKENS).toBe(grid.frames * N);
  });
});
