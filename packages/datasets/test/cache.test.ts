import { appendFile, mkdir, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isClipLoadError } from '@adatosk/core';
import {
  ClipWorkerPool,
  createDataset,
  createLoader,
  inProcessExecutor,
  openCacheDataset,
  openFrameCache,
  prepareCache,
  readManifest,
  renderSyntheticClip,
  verifyCache,
  writeDfewLayout,
  writeFrame,
  type LayoutManifest,
  type PrepareCacheOptions,
} from '@adatosk/datasets';
import { crc32Portable } from '../src/io/crc32.js';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { tempDir } from './helpers/tmp.js';

// A DFEW-shaped copy with 14 clips of 32 x 32 JPEG frames; one clip has a truncated frame, one is missing.
describe('frame cache', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let layout: LayoutManifest;
  let pool: ClipWorkerPool;
  let truncatedId: string, missingId: string;
  const read = { numFrames: 6, size: 16, stride: 2 };
  const prepare = (out: string, extra: Partial<PrepareCacheOptions> = {}) =>
    prepareCache({
      dataset: 'dfew',
      root: dir,
      out,
      folds: [1],
      size: 16,
      storedSize: 32,
      shardBytes: 64 * 1024,
      executor: pool,
      ...extra,
    });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('cache'));
    layout = await writeDfewLayout(join(dir, 'DFEW'), { clipsPerClass: 2, numFrames: [8, 14], size: 32 });
    dir = join(dir, 'DFEW');
    const clipDir = (id: string) => join(layout.datasetRoot, 'Clip', 'clip_224x224', id);
    truncatedId = layout.clips[3]!.id;
    missingId = layout.clips[9]!.id;
    const frames = await readdir(clipDir(truncatedId));
    await truncate(join(clipDir(truncatedId), frames[2]!), 200);
    await rm(clipDir(missingId), { recursive: true });
    pool = await ClipWorkerPool.start({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
    await cleanup();
  });

  it('prepares shards in workers, skips and lists clips that fail to decode, and reads back what the source gives', async () => {
    const out = join(dir, '..', 'cache-a');
    const progress: number[] = [];
    const r = await prepare(out, { onProgress: (p) => progress.push(p.done) });
    expect(r.complete).toBe(true);
    expect(r.total).toBe(layout.clips.length);
    expect(r.shards).toBeGreaterThan(2); // 64 KiB shards
    expect(r.skipped.map((s) => s.id).sort()).toEqual([truncatedId, missingId].sort());
    expect(r.skipped.find((s) => s.id === missingId)!.kind).toBe('missing');
    expect(r.skipped.find((s) => s.id === truncatedId)!.message).toMatch(/cannot decode/);
    expect(progress.at(-1)).toBe(layout.clips.length);
    const names = await readdir(join(out, 'shards'));
    expect(names.every((n) => /^shard-\d{5}\.bin$/.test(n))).toBe(true);

    // Frames stored at the source's size: the cache gives exactly the source loader's clips.
    for (const split of ['train', 'test'] as const) {
      const source = await createDataset('dfew', { root: dir, fold: 1, split, ...read });
      const cached = await openCacheDataset(out, { fold: 1, split, ...read });
      expect(cached.ids).toEqual(source.ids);
      expect(cached.labels).toEqual(source.labels);
      expect(cached.name).toBe(source.name);
      for (let i = 0; i < source.length; i++) {
        const mode = split === 'train' ? 'train' : 'test';
        const broken = [truncatedId, missingId].includes(source.ids[i]!);
        const a = await source.load(i, { mode, epoch: 2, view: 1 }).catch((e: unknown) => e);
        const b = await cached.load(i, { mode, epoch: 2, view: 1 }).catch((e: unknown) => e);
        if (broken) {
          expect(isClipLoadError(a) && isClipLoadError(b)).toBe(true);
          expect((b as Error).message).toMatch(/when the cache was made/);
          continue;
        }
        const sa = a as { frames: Float32Array; sourceFrames: number[] },
          sb = b as typeof sa;
        expect(sb.sourceFrames).toEqual(sa.sourceFrames);
        expect(Array.from(sb.frames)).toEqual(Array.from(sa.frames));
      }
    }
  });

  it('gives the same clips from worker threads as in-process, and the loader skips the failed ones', async () => {
    const out = join(dir, '..', 'cache-a');
    const ds = await openCacheDataset(out, { fold: 1, split: 'train', ...read });
    const good = ds.ids.map((id, i) => (id === truncatedId || id === missingId ? -1 : i)).filter((i) => i >= 0);
    for (const i of good.slice(0, 3)) {
      const { work } = await ds.plan(i, { mode: 'train', epoch: 1 });
      if (work.source.kind !== 'shard') throw new Error('expected shard frames');
      const a = new Float32Array(6 * 16 * 16 * 3),
        b = new Float32Array(new SharedArrayBuffer(a.length * 4));
      const c = new Float32Array(a.length);
      await inProcessExecutor.run(work, a);
      await pool.run(work, b); // written in place by a worker
      await pool.run(work, c); // transferred back and copied
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(Array.from(c)).toEqual(Array.from(a));
    }
    const loader = createLoader(ds, { batchSize: 4, mode: 'train', executor: pool, maxFailureFraction: 0.5 });
    let n = 0;
    for await (const batch of loader.batches({ epoch: 0 })) {
      expect(batch.clips.length).toBe(batch.labels.length * 6 * 16 * 16 * 3);
      n += batch.labels.length;
      loader.release!(batch);
    }
    const failed = ds.ids.filter((id) => id === truncatedId || id === missingId);
    expect(n).toBe(ds.length - failed.length);
    expect(
      loader
        .report()
        .failures.map((f) => f.id)
        .sort(),
    ).toEqual(failed.sort());
  });

  it('refuses a cache whose source changed, naming what changed and the fix', async () => {
    const { dir: tmp, cleanup: done } = await tempDir('cache-stale');
    try {
      const root = join(tmp, 'DFEW');
      const m = await writeDfewLayout(root, { clipsPerClass: 1, numFrames: 8, size: 16 });
      const out = join(tmp, 'cache');
      await prepareCache({ dataset: 'dfew', root, out, folds: [1], size: 16, executor: pool });
      await openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4 });
      const clip = m.clips.find((c) => c.testFold !== 1)!;
      const clipDir = join(m.datasetRoot, 'Clip', 'clip_224x224', clip.id);
      const frame = join(clipDir, (await readdir(clipDir))[0]!);
      // A frame rewritten in place: only the full check sees it (the folder's time does not change).
      const before = (await stat(clipDir)).mtimeMs;
      await appendFile(frame, new Uint8Array(10));
      expect((await stat(clipDir)).mtimeMs).toBe(before);
      await openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4 });
      await expect(openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4, verify: 'full' })).rejects.toThrow(
        new RegExp(`frames in .*${clip.id} changed.*datasets prepare dfew .*--force`),
      );
      // A frame added: the folder's time changes, the quick check sees it.
      await writeFile(join(clipDir, 'extra_99999.jpg'), await readFile(frame));
      await expect(openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4 })).rejects.toThrow(
        new RegExp(`frame folder .*${clip.id} changed`),
      );
      // The split file edited.
      const csv = join(m.datasetRoot, 'EmoLabel_DataSplit', 'train(single-labeled)', 'set_1.csv');
      await appendFile(csv, '\n');
      await expect(openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4 })).rejects.toThrow(/set_1\.csv changed \(\d+ bytes/);
      // Preparing again over it is refused (the split file changed), --force rebuilds it.
      await expect(prepareCache({ dataset: 'dfew', root, out, folds: [1], size: 16, executor: pool })).rejects.toThrow(
        /split fold1\/train changed.*--force/,
      );
      const again = await prepareCache({ dataset: 'dfew', root, out, folds: [1], size: 16, executor: pool, force: true });
      expect(again.complete).toBe(true);
      await openCacheDataset(out, { fold: 1, split: 'train', numFrames: 4, verify: 'full' });
    } finally {
      await done();
    }
  });

  it('refuses other options, naming them', async () => {
    const out = join(dir, '..', 'cache-a');
    await expect(prepare(out, { storedSize: 24 })).rejects.toThrow(/storedSize: 32 when cached, 24 now.*--force/);
    await expect(prepare(out, { format: 'jpeg' })).rejects.toThrow(/format: "raw" when cached, "jpeg" now/);
    await expect(openCacheDataset(out, { fold: 1, split: 'train', numFrames: 6, size: 24 })).rejects.toThrow(
      /prepared for 16x16 frames .*reads 24x24.*--size 24/,
    );
    await expect(openCacheDataset(out, { fold: 2, split: 'train' })).rejects.toThrow(
      /no split 'fold2\/train' \(it has fold1\/train, fold1\/test\)/,
    );
  });

  it('detects a corrupt frame (checksum) and a truncated shard, names them, and prepare rebuilds the damaged shard', async () => {
    const out = join(dir, '..', 'cache-b');
    await prepare(out);
    const m = (await readManifest(out))!;
    const victim = m.clips.find((c) => c.frames && c.shard === 1)!;
    const shardFile = join(out, m.shards[1]!.file);
    const bytes = await readFile(shardFile);
    const table = (await openFrameCache(out)).tables[1]!;
    const offset = table[victim.first! * 3]!;
    bytes[offset + 5] ^= 0xff;
    await writeFile(shardFile, bytes);
    const report = await verifyCache(out);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.clips).toEqual([victim.id]);
    expect(report.problems[0]!.message).toMatch(/shard-00001\.bin: 1 corrupt frame/);
    // Reading the clip: a skippable error naming the shard (every frame of the clip is read in test mode).
    const ds = await openCacheDataset(out, {
      fold: 1,
      split: m.splits['fold1/train']!.clips.includes(m.clips.indexOf(victim)) ? 'train' : 'test',
      numFrames: 16,
      size: 16,
      stride: 1,
      testViews: 1,
    });
    const i = ds.ids.indexOf(victim.id);
    const error = await ds.load(i, { mode: 'test' }).catch((e: unknown) => e);
    expect(isClipLoadError(error)).toBe(true);
    expect((error as Error).message).toMatch(/cache shard .*shard-00001\.bin is corrupt/);

    // Truncated: refused at open, then prepare keeps the shards before it and rebuilds from it.
    await truncate(shardFile, m.shards[1]!.bytes - 100);
    await expect(openFrameCache(out)).rejects.toThrow(/shard-00001\.bin is truncated .*datasets prepare dfew/);
    const r = await prepare(out);
    expect(r.complete).toBe(true);
    expect(r.reused).toBe(m.shards[1]!.clips[0]);
    expect((await verifyCache(out)).ok).toBe(true);
  });

  it('resumes an interrupted prepare; an unfinished shard never looks complete', async () => {
    const out = join(dir, '..', 'cache-c');
    const stop = new AbortController();
    const first = await prepare(out, { onProgress: (p) => p.done === 9 && stop.abort(), signal: stop.signal });
    expect(first.complete).toBe(false);
    const names = await readdir(join(out, 'shards'));
    expect(names.some((n) => n.includes('.tmp'))).toBe(true); // the shard being written when it stopped
    const m = (await readManifest(out))!;
    expect(m.complete).toBe(false);
    expect(names.filter((n) => n.endsWith('.bin'))).toHaveLength(m.shards.length);
    await expect(openFrameCache(out)).rejects.toThrow(/incomplete \(prepare stopped after \d+ of 14 clips\).*again to finish it/);
    // A crash after a shard's rename but before the manifest listed it: the shard is not trusted.
    const committed = m.shards.length;
    const second = await prepare(out);
    expect(second.complete).toBe(true);
    expect(second.reused).toBe(m.committed);
    expect(second.encoded).toBe(14 - m.committed);
    expect((await readdir(join(out, 'shards'))).some((n) => n.includes('.tmp'))).toBe(false);
    const fresh = (await readManifest(join(dir, '..', 'cache-a')))!;
    const resumed = (await readManifest(out))!;
    expect(resumed.clips.map((c) => [c.id, c.frames, c.failed?.kind])).toEqual(fresh.clips.map((c) => [c.id, c.frames, c.failed?.kind]));
    expect(committed).toBeGreaterThan(0);
    const dropped = { ...resumed, shards: resumed.shards.slice(0, -1), committed: resumed.shards.at(-1)!.clips[0], complete: false };
    await writeFile(join(out, 'index.json'), JSON.stringify(dropped));
    const third = await prepare(out);
    expect(third.reused).toBe(dropped.committed);
    expect((await verifyCache(out)).ok).toBe(true);
  });

  it('caches a class-per-folder dataset (no split file: its folders stand for it) and sees a clip added', async () => {
    const { dir: tmp, cleanup: done } = await tempDir('cache-folder');
    try {
      const clipDir = async (path: string, n: number) => {
        const clip = renderSyntheticClip(n, n % 7, { numFrames: n, size: 12 });
        await Promise.all(clip.frames.map((f, k) => writeFrame(join(path, `${k}.png`), f, 12, 12, 'png')));
      };
      for (const [c, k] of [
        ['happy', 5],
        ['sad', 6],
        ['sad', 7],
      ] as const)
        await clipDir(join(tmp, 'data', 'train', c, `clip${k}`), k);
      const out = join(tmp, 'cache');
      const r = await prepareCache({
        dataset: 'folder',
        root: join(tmp, 'data'),
        out,
        splits: ['train'],
        size: 12,
        executor: inProcessExecutor,
        options: { classes: ['happy', 'sad'] },
      });
      expect(r.total).toBe(3);
      const ds = await openCacheDataset(out, { split: 'train', numFrames: 4, stride: 1 });
      expect(ds.ids).toEqual(['happy/clip5', 'sad/clip6', 'sad/clip7']);
      expect(ds.classes).toEqual(['happy', 'sad']);
      const source = await createDataset('folder', {
        root: join(tmp, 'data'),
        split: 'train',
        size: 12,
        numFrames: 4,
        stride: 1,
        classes: ['happy', 'sad'],
      });
      expect(Array.from((await ds.load(2, { mode: 'train', epoch: 1 })).frames)).toEqual(
        Array.from((await source.load(2, { mode: 'train', epoch: 1 })).frames),
      );
      await mkdir(join(tmp, 'data', 'train', 'happy', 'clip9'));
      await expect(openCacheDataset(out, { split: 'train', numFrames: 4 })).rejects.toThrow(/happy changed .*--force/);
    } finally {
      await done();
    }
  });

  it('a worker pool whose script cannot run fails at start with what to do', async () => {
    const { dir: tmp, cleanup: done } = await tempDir('cache-worker');
    try {
      const script = join(tmp, 'broken-worker.mjs');
      await writeFile(script, 'throw new Error("boom");\n');
      await expect(ClipWorkerPool.start({ workers: 2, script })).rejects.toThrow(
        /worker threads cannot start .*boom.*ADATOSK_PIPELINE_WORKER/,
      );
    } finally {
      await done();
    }
  });

  it('checksums with the portable CRC-32 where Node has no zlib.crc32 (before 20.15), equal to zlib', () => {
    const data = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 251);
    expect(crc32Portable(data)).toBe(zlibCrc32(data));
    expect(crc32Portable('')).toBe(0);
    expect(crc32Portable(data.subarray(10), crc32Portable(data.subarray(0, 10)))).toBe(zlibCrc32(data));
  });
});
