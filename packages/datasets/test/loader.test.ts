import { describe, expect, it } from 'vitest';
import { type ClipDataset, type ClipLoadOptions, ClipLoadError, DatasetError } from '@adatosk/core';
import { createLoader } from '@adatosk/datasets/synthetic';

/** A fake dataset that records concurrency and can fail chosen clips. */
function fakeDataset(n: number, opts: { broken?: Set<number>; crash?: number; delay?: number; useTarget?: boolean } = {}) {
  const T = 2,
    S = 2;
  const stats = { inFlight: 0, maxInFlight: 0, started: [] as number[], finished: 0 };
  const ds: ClipDataset = {
    name: 'fake',
    classes: ['a', 'b', 'c'],
    length: n,
    ids: Array.from({ length: n }, (_, i) => `c${i}`),
    labels: Array.from({ length: n }, (_, i) => i % 3),
    numFrames: T,
    size: S,
    testViews: 2,
    seed: 7,
    label: (i) => i % 3,
    async load(i: number, o: ClipLoadOptions) {
      stats.started.push(i);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise((r) => setTimeout(r, opts.delay ?? (i * 7) % 5));
      stats.inFlight--;
      stats.finished++;
      if (opts.crash === i) throw new TypeError('a bug');
      if (opts.broken?.has(i)) throw new ClipLoadError(`c${i}`, 'unreadable', `c${i} is broken`);
      const frames = opts.useTarget && o.target ? o.target : new Float32Array(T * S * S * 3);
      frames.fill(i + (o.view ?? 0) * 1000);
      return { id: `c${i}`, label: i % 3, frames, shape: [T, S, S, 3] as [number, number, number, 3] };
    },
  };
  return { ds, stats };
}

describe('createLoader', () => {
  it('yields every clip once per pass, in order in test mode, with stacked data', async () => {
    const { ds } = fakeDataset(10);
    const loader = createLoader(ds, { batchSize: 4, mode: 'test' });
    expect(loader.numBatches).toBe(3);
    const batches = [];
    for await (const b of loader.batches({ view: 1 })) batches.push(b);
    expect(batches.map((b) => b.labels.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((b) => b.ids)).toEqual(ds.ids);
    expect(batches[0]!.shape).toEqual([4, 2, 2, 2, 3]);
    expect(batches[0]!.view).toBe(1);
    expect(batches[1]!.clips[24]).toBe(1005); // clip 5, view 1
    expect(Array.from(batches[2]!.labels)).toEqual([8 % 3, 9 % 3]);
    await expect(async () => {
      for await (const _ of loader.batches({ view: 2 })) void _;
    }).rejects.toThrow(/view 2/);
  });

  it('shuffles by (seed, epoch) and drops the last batch on request', async () => {
    const { ds } = fakeDataset(10);
    const loader = createLoader(ds, { batchSize: 3, mode: 'train', dropLast: true });
    const order = async (epoch: number) => {
      const ids: string[] = [];
      for await (const b of loader.batches({ epoch })) ids.push(...b.ids);
      return ids;
    };
    const e0 = await order(0),
      e0b = await order(0),
      e1 = await order(1);
    expect(e0).toHaveLength(9);
    expect(e0).toEqual(e0b);
    expect(e0).not.toEqual(e1);
  });

  it('bounds concurrency and look-ahead', async () => {
    const { ds, stats } = fakeDataset(64, { delay: 2 });
    const loader = createLoader(ds, { batchSize: 4, mode: 'test', concurrency: 3, prefetch: 1 });
    let consumedClips = 0;
    for await (const b of loader.batches()) {
      // Started loads never run further ahead than (prefetch + 1) batches past what was consumed.
      expect(stats.started.length - consumedClips).toBeLessThanOrEqual(2 * 4 + 4);
      consumedClips += b.labels.length;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(stats.maxInFlight).toBeGreaterThan(1);
  });

  it('skips broken clips, names them, and goes on', async () => {
    const { ds } = fakeDataset(40, { broken: new Set([3, 17]) });
    const skipped: string[] = [];
    const loader = createLoader(ds, { batchSize: 8, mode: 'test', onSkip: (f) => skipped.push(f.id) });
    let n = 0;
    for await (const b of loader.batches()) n += b.labels.length;
    expect(n).toBe(38);
    expect(skipped).toEqual(['c3', 'c17']);
    const report = loader.report();
    expect(report).toMatchObject({ attempted: 40, loaded: 38, skipped: 2 });
    expect(report.failures[0]).toMatchObject({ index: 3, id: 'c3', kind: 'unreadable' });
    expect(report.failureFraction).toBeCloseTo(0.05);
  });

  it('decodes into batch buffers in place and shifts clips after a skip; released buffers are reused', async () => {
    const { ds } = fakeDataset(23, { broken: new Set([1, 6, 7]), useTarget: true, delay: 1 });
    const loader = createLoader(ds, { batchSize: 4, mode: 'train', concurrency: 3, maxFailureFraction: 0.5 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: string[] = [];
      const buffers = new Set<ArrayBufferLike>();
      for await (const b of loader.batches({ epoch })) {
        expect(b.clips).toHaveLength(b.labels.length * 24);
        b.ids.forEach((id, k) => {
          const values = new Set(b.clips.subarray(k * 24, (k + 1) * 24));
          expect([...values]).toEqual([Number(id.slice(1))]);
          expect(b.labels[k]).toBe(Number(id.slice(1)) % 3);
        });
        seen.push(...b.ids);
        buffers.add(b.clips.buffer);
        loader.release!(b);
      }
      expect(seen.sort()).toEqual(ds.ids.filter((_, i) => ![1, 6, 7].includes(i)).sort());
      if (epoch > 0) expect(buffers.size).toBeLessThan(5);
    }
  });

  it('stops with a clear error when more than maxFailureFraction fail', async () => {
    const { ds } = fakeDataset(40, { broken: new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    const loader = createLoader(ds, { batchSize: 8, mode: 'test', maxFailureFraction: 0.1 });
    const run = async () => {
      for await (const _ of loader.batches()) void _;
    };
    await expect(run()).rejects.toThrow(DatasetError);
    await expect(run()).rejects.toThrow(/could not be loaded .*maxFailureFraction 0.1.*c\d/);
    // A small dataset where everything fails is caught at the end of the pass.
    const tiny = fakeDataset(3, { broken: new Set([0, 1, 2]) });
    await expect(
      (async () => {
        for await (const _ of createLoader(tiny.ds, { batchSize: 2, mode: 'test' }).batches()) void _;
      })(),
    ).rejects.toThrow(/3 of 3/);
  });

  it('propagates errors that are not clip failures', async () => {
    const { ds } = fakeDataset(10, { crash: 4 });
    const loader = createLoader(ds, { batchSize: 2, mode: 'test' });
    await expect(
      (async () => {
        for await (const _ of loader.batches()) void _;
      })(),
    ).rejects.toThrow(/a bug/);
  });

  it('validates its options', () => {
    const { ds } = fakeDataset(4);
    expect(() => createLoader(ds, { batchSize: 0, mode: 'train' })).toThrow(/batchSize/);
    expect(() => createLoader(ds, { batchSize: 2, mode: 'eval' as never })).toThrow(/mode/);
    expect(() => createLoader(ds, { batchSize: 2, mode: 'train', indices: [9] })).toThrow(/index 9/);
  });
});
