import { describe, expect, it } from 'vitest';
import { benchmarkPipeline } from '@adatosk/datasets';

// Smoke test of the benchmark entry point (no timing assertions: the numbers are for the bench script).
describe('benchmarkPipeline', () => {
  it('runs timed passes over synthetic JPEG clips and reports rates', async () => {
    const r = await benchmarkPipeline({
      clips: 6,
      uniqueClips: 2,
      storedFrames: 6,
      storedSize: 24,
      numFrames: 4,
      size: 16,
      batchSize: 4,
      passes: 1,
    });
    expect(r.clips).toBe(6);
    expect(r.batches).toBe(2);
    expect(r.skipped).toBe(0);
    expect(r.clipsPerSecond).toBeGreaterThan(0);
    expect(r.cpuSecondsPerClip).toBeGreaterThan(0);
    expect(r.options).toMatchObject({ numFrames: 4, size: 16, mode: 'train' });
  });
});
