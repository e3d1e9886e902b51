import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createHardMask,
  createMask,
  createMaskFromSpec,
  createRng,
  createSoftMask,
  getMask,
  hasMask,
  listMasks,
  makeHardMask,
  hardMaskIndices,
  registerMask,
  temporalNeighbours,
  unregisterMask,
  type HardMaskStrategy,
  type MaskDefinition,
} from '@adatosk/core';
import { resetMaskRegistry } from '@adatosk/core/testing';

interface EveryOtherOptions {
  offset?: number;
}
declare module '@adatosk/core' {
  interface MaskRegistry {
    'test-every-other': EveryOtherOptions;
    'test-uneven': Record<string, never>;
  }
}

// Hides every other spatial position (starting at `offset`) in every slot.
const everyOther: MaskDefinition<EveryOtherOptions, Required<EveryOtherOptions>> = {
  name: 'test-every-other',
  kind: 'hard',
  description: 'test mask',
  parseOptions: (raw) => {
    const offset = raw?.offset ?? 0;
    if (offset !== 0 && offset !== 1) throw new Error(`offset must be 0 or 1, got ${offset}`);
    return { offset };
  },
  create: ({ offset }): HardMaskStrategy => ({
    kind: 'hard',
    name: 'test-every-other',
    sample: ({ batch, grid }) => {
      const tokens = grid.frames * grid.height * grid.width;
      const data = new Uint8Array(batch * tokens);
      for (let i = 0; i < data.length; i++) data[i] = (i % tokens) % 2 === offset ? 1 : 0;
      return { batch, tokens, hidden: 0, data };
    },
  }),
};

afterEach(() => {
  resetMaskRegistry();
  vi.restoreAllMocks();
});

describe('mask registry', () => {
  it('lives on globalThis under Symbol.for("@adatosk/core/masks")', () => {
    registerMask(everyOther);
    const store = (globalThis as unknown as Record<symbol, { definitions: Map<string, unknown> }>)[Symbol.for('@adatosk/core/masks')];
    expect(store.definitions.get('test-every-other')).toBe(everyOther);
  });

  it('registers, creates with options, lists and unregisters', () => {
    registerMask(everyOther);
    expect(hasMask('test-every-other')).toBe(true);
    expect(getMask('test-every-other')).toBe(everyOther);
    expect(listMasks()).toEqual([{ name: 'test-every-other', kind: 'hard', description: 'test mask' }]);
    const strategy = createHardMask('test-every-other', { offset: 1 });
    const mask = strategy.sample({ batch: 2, grid: { frames: 2, height: 1, width: 4 }, ratio: 0.5, rng: createRng(0) });
    expect(mask.hidden).toBe(4); // re-derived from the data, not the plugin's claim
    expect(Array.from(mask.data.slice(0, 8))).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(createMask('test-every-other').kind).toBe('hard');
    expect(unregisterMask('test-every-other')).toBe(true);
    expect(unregisterMask('test-every-other')).toBe(false);
    expect(listMasks()).toEqual([]);
  });

  it('re-registering the same definition is silent; a different one warns and replaces', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    registerMask(everyOther);
    registerMask(everyOther);
    expect(warn).not.toHaveBeenCalled();
    registerMask({ ...everyOther, description: 'replacement' });
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0][0])).toMatch(/'test-every-other' is already registered/);
    expect(listMasks()[0].description).toBe('replacement');
  });

  it('names the problem: unknown mask, bad options, wrong kind, faulty plugin output', () => {
    registerMask(everyOther);
    expect(() => createMaskFromSpec({ name: 'nope' })).toThrow(
      /Unknown mask 'nope'\. Registered masks: test-every-other\. Import '@adatosk\/masks'/,
    );
    expect(() => createHardMask('test-every-other', { offset: 3 })).toThrow(
      /Invalid options for mask 'test-every-other': offset must be 0 or 1, got 3/,
    );
    expect(() => createSoftMask('test-every-other')).toThrow(/is a hard mask, but a soft \(token score\) mask is needed/);
    expect(() => createMaskFromSpec({ name: 'test-every-other' }, 'soft')).toThrow(/hard mask/);
    registerMask({
      name: 'test-uneven',
      kind: 'hard',
      create: () => ({
        kind: 'hard',
        name: 'test-uneven',
        sample: ({ batch }) => ({ batch, tokens: 4, hidden: 1, data: Uint8Array.from([1, 0, 0, 0, 1, 1, 0, 0].slice(0, batch * 4)) }),
      }),
    });
    const uneven = createHardMask('test-uneven');
    expect(() => uneven.sample({ batch: 2, grid: { frames: 1, height: 2, width: 2 }, ratio: 0.5, rng: createRng(0) })).toThrow(
      /hard mask 'test-uneven': every sample must hide the same number of tokens \(sample 0 hides 1, sample 1 hides 2\)/,
    );
  });

  it('type-checks options per name (declaration merging)', () => {
    registerMask(everyOther);
    // @ts-expect-error offset is a number
    expect(() => createHardMask('test-every-other', { offset: 'one' })).toThrow();
    // @ts-expect-error unknown names are rejected by the type checker (createMaskFromSpec takes any string)
    expect(() => createMask('not-registered')).toThrow(/Unknown mask/);
  });
});

describe('mask helpers', () => {
  it('hardMaskIndices splits visible and hidden tokens per sample, ascending', () => {
    const mask = makeHardMask(2, 4, Uint8Array.from([1, 0, 0, 1, 0, 1, 1, 0]));
    const idx = hardMaskIndices(mask);
    expect(idx.visibleCount).toBe(2);
    expect(Array.from(idx.visible)).toEqual([1, 2, 0, 3]);
    expect(Array.from(idx.hidden)).toEqual([0, 3, 1, 2]);
  });

  it('temporalNeighbours: nearest earlier visible slot, successor, chain depth', () => {
    // grid 3 slots x 2 positions; visible: (0,0) (1,1) (2,0) (2,1)
    const nb = temporalNeighbours(Int32Array.from([0, 3, 4, 5]), 1, { frames: 3, height: 1, width: 2 });
    expect(Array.from(nb.predecessor)).toEqual([-1, -1, 0, 1]);
    expect(Array.from(nb.successor)).toEqual([2, 3, -1, -1]);
    expect(nb.maxDepth).toBe(1);
  });

  it('the rng is deterministic, splittable and independent of draws made before a split', () => {
    const a = createRng(5);
    const b = createRng(5);
    expect([a.uint32(), a.uint32()]).toEqual([b.uint32(), b.uint32()]);
    const c = createRng(5);
    const before = c.split('x').float();
    c.float();
    expect(c.split('x').float()).toBe(before);
    expect(createRng(5).split('x').float()).not.toBe(createRng(5).split('y').float());
    expect(createRng(6).float()).not.toBe(createRng(5).float());
    const chosen = Array.from(createRng(1).choose(10, 10)).sort((p, q) => p - q);
    expect(chosen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const mean = Array.from({ length: 4000 }, () => a.float()).reduce((s, x) => s + x, 0) / 4000;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
  });
});
