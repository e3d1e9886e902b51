// The input pipeline through the CLI: datasets prepare, train --cache, bench --pipeline.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDfewLayout } from '@adatosk/datasets';
import { captureIo } from '../src/io.js';
import { runDatasetsPrepare } from '../src/commands/datasets/prepare-cache.js';
import { runTrain } from '../src/commands/train.js';
import { runPipelineBench } from '../src/bench/pipeline.js';
import { main } from '../src/main.js';
import { SMALL_TINY_OVERRIDES } from './support/small-model.js';

let out: string;
let root: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'adatosk-cli-pipeline-'));
  root = join(out, 'dfew');
  await writeDfewLayout(root, { clipsPerClass: 2, size: 24, numFrames: [8, 12] });
});

const small = (name: string, data: Record<string, unknown>) => ({
  model: {
    preset: 'tiny',
    overrides: { ...SMALL_TINY_OVERRIDES, imageSize: 16, patchSize: 8 },
  },
  data: { name: 'dfew', fold: 1, workers: 2, ...data },
  train: { epochs: 1, batchSize: 4, lr: 1e-3, warmupEpochs: 0 },
  output: { dir: out, name, plots: false },
  backend: 'wasm',
});

describe('datasets prepare -> train --cache', () => {
  it('prepares a cache of one fold, resumes as a no-op, and refuses other options without --force', async () => {
    const io = captureIo();
    // Stored at the source's size (24): the cache then gives exactly the source's clips.
    const r = await runDatasetsPrepare({
      name: 'dfew',
      root,
      out: join(out, 'cache'),
      folds: [1],
      size: 16,
      storedSize: 24,
      workers: 2,
      verify: true,
      io,
    });
    expect(r.complete).toBe(true);
    expect(r.total).toBe(14);
    expect(r.verify!.ok).toBe(true);
    expect(io.stdout.join('\n')).toMatch(
      /cache ready: .*14 clips .*shards[\s\S]*verified: every frame's checksum matches[\s\S]*train with: adatosk train --dataset dfew --cache .* --fold 1/,
    );
    const again = await runDatasetsPrepare({
      name: 'dfew',
      root,
      out: join(out, 'cache'),
      folds: [1],
      size: 16,
      storedSize: 24,
      workers: 0,
      json: true,
      io: captureIo(),
    });
    expect(again.reused).toBe(14);
    expect(again.encoded).toBe(0);
    await expect(
      runDatasetsPrepare({ name: 'dfew', root, out: join(out, 'cache'), folds: [1], size: 24, io: captureIo() }),
    ).rejects.toThrow(/ size: 16 when cached, 24 now.*--force/);
    await expect(runDatasetsPrepare({ name: 'dfew', root: join(out, 'nope'), out: join(out, 'x'), io: captureIo() })).rejects.toThrow(
      /root '.*nope' does not exist/,
    );
  });

  it('trains from the cache with the same clips as from the source, and records the data wait per step', async () => {
    const fromCache = await runTrain({ overrides: small('from-cache', { cache: join(out, 'cache') }), io: captureIo() });
    const fromSource = await runTrain({ overrides: small('from-source', { root }), io: captureIo() });
    // Frames stored at the source's size: the cache and the source give the same clips, so the same weights.
    const a = await readFile(join(fromCache.runDir, 'model.safetensors'));
    const b = await readFile(join(fromSource.runDir, 'model.safetensors'));
    expect(Buffer.compare(a, b)).toBe(0);
    expect(fromCache.metrics!.count).toBe(fromSource.metrics!.count);
    const events = (await readFile(join(fromCache.runDir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'epoch')).toBeDefined();
    // --json progress carries dataWaitMs on every step.
    const io = captureIo();
    await runTrain({ overrides: small('json', { cache: join(out, 'cache') }), json: true, io });
    const steps = io.stdout.map((l) => JSON.parse(l)).filter((e) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s.dataWaitMs).toBeGreaterThanOrEqual(0);
  });

  it('names a wrong cache, a missing fold and a size the cache was not made for', async () => {
    await expect(runTrain({ overrides: small('bad', { cache: join(out, 'no-cache') }), io: captureIo() })).rejects.toThrow(
      /frame cache '.*no-cache' does not exist.*datasets prepare/,
    );
    await expect(
      runTrain({
        overrides: { ...small('bad2', { cache: join(out, 'cache') }), data: { name: 'dfew', cache: join(out, 'cache') } },
        io: captureIo(),
      }),
    ).rejects.toThrow(/5 folds: pass --fold/);
    const big = small('bad3', { cache: join(out, 'cache') });
    big.model.overrides.imageSize = 32;
    await expect(runTrain({ overrides: big, io: captureIo() })).rejects.toThrow(/prepared for 16x16 frames .*reads 32x32/);
    expect(await main(['datasets', 'prepare', '--help'])).toBe(0);
  });
});

describe('bench --pipeline', () => {
  it('times the source and a cache and reports clips/s, frames/s, cores and CPU time per clip', async () => {
    const io = captureIo();
    const r = await runPipelineBench({
      clips: 8,
      batchSize: 4,
      numFrames: 4,
      size: 16,
      workers: [1, 2],
      synthetic: { clips: 2, frames: 6, size: 24 },
      json: true,
      io,
    });
    const printed = JSON.parse(io.stdout[0]!).pipeline;
    for (const rate of [printed, printed.source, printed.cache, printed.cache.packed]) {
      expect(rate.clipsPerSecond).toBeGreaterThan(0);
      expect(rate.framesPerSecond).toBeCloseTo(rate.clipsPerSecond * 4, 6);
      expect(rate.cores).toBeGreaterThan(0);
    }
    expect(r.source.scaling.map((s) => s.workers)).toEqual([1, 2]);
    expect(r.source.cpuMsPerClip).toBeGreaterThan(0);
    expect(r.cache!.format).toBe('raw');
  });
});
