// Input-pipeline benchmark: decode + augment + batch of T x S x S clips from JPEG frame folders.
// Writes a small pool of synthetic JPEG clips (or uses `root` + `listFile`), lists them repeatedly and
// times full passes of the batched loader. Called by `adatosk bench` and bench/pipeline.ts.
import { mixSeed } from '@adatosk/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLoader } from '../pipeline/loader.js';
import { openList } from '../sets/list.js';
import { renderSyntheticClip } from '../synthetic/generator.js';
import { writeFrame } from '../writer/frames.js';
import { loadSharp } from '../io/sharp.js';

export interface BenchmarkOptions {
  /** Clips per timed pass (default 256). */
  clips?: number;
  /** Distinct clips written to disk and cycled (default 16). */
  uniqueClips?: number;
  /** Frames per stored clip (default 48) and their size (default 224, as DFEW's clip_224x224). */
  storedFrames?: number;
  storedSize?: number;
  /** Model input: frames (16) and size (160). */
  numFrames?: number;
  size?: number;
  batchSize?: number;
  concurrency?: number;
  prefetch?: number;
  mode?: 'train' | 'test';
  /** Set sharp's libvips operation cache on or off for the whole process (default: leave it as it is). */
  sharpCache?: boolean;
  /** Hand batch buffers back for reuse (default true), as a loop that copies each batch would. */
  release?: boolean;
  /** Timed passes after one warm-up pass (default 2). */
  passes?: number;
  /** Use existing clips: a list file of `<frame dir> <label>` under `root`. */
  root?: string;
  listFile?: string;
}

export interface BenchmarkResult {
  clipsPerSecond: number;
  framesPerSecond: number;
  /** Seconds per timed pass (median). */
  secondsPerPass: number;
  clips: number;
  batches: number;
  skipped: number;
  setupSeconds: number;
  /** Process CPU time (all threads) per clip, median pass: insensitive to other load on the machine. */
  cpuSecondsPerClip: number;
  /** `cores / cpuSecondsPerClip`: the rate if this process had every core to itself. */
  cpuBoundClipsPerSecond: number;
  cores: number;
  threadpool: number;
  options: Required<Omit<BenchmarkOptions, 'root' | 'listFile' | 'sharpCache'>> & { sharpCache?: boolean };
}

/** Writes `uniqueClips` synthetic JPEG clips (`storedFrames` frames of `storedSize` px, like DFEW's clip_224x224) and a list file cycling them `clips` times; returns the list file. */
export async function writeBenchClips(
  dir: string,
  o: { clips: number; uniqueClips: number; storedFrames: number; storedSize: number },
): Promise<string> {
  const S = o.storedSize;
  for (let c = 0; c < o.uniqueClips; c++) {
    const clip = renderSyntheticClip(mixSeed('pipeline-bench', c), c % 7, { numFrames: o.storedFrames, size: S });
    await Promise.all(
      clip.frames.map((f, k) => writeFrame(join(dir, `clip${c}`, `${String(k + 1).padStart(5, '0')}.jpg`), f, S, S, 'jpg')),
    );
  }
  const listFile = join(dir, 'list.txt');
  await writeFile(listFile, Array.from({ length: o.clips }, (_, i) => `clip${i % o.uniqueClips} ${i % 7}`).join('\n'));
  return listFile;
}

export async function benchmarkPipeline(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const o = {
    clips: 256,
    uniqueClips: 16,
    storedFrames: 48,
    storedSize: 224,
    numFrames: 16,
    size: 160,
    batchSize: 16,
    concurrency: 4,
    prefetch: 1,
    mode: 'train' as const,
    passes: 2,
    release: true,
    ...options,
  };
  if (o.sharpCache !== undefined) (await loadSharp()).cache(o.sharpCache);
  const t0 = performance.now();
  let dir: string | undefined;
  let root = options.root,
    listFile = options.listFile;
  if (!root || !listFile) {
    dir = await mkdtemp(join(tmpdir(), 'adatosk-bench-'));
    root = dir;
    listFile = await writeBenchClips(dir, o);
  }
  try {
    const ds = await openList({ root, listFile, numFrames: o.numFrames, size: o.size });
    const loader = createLoader(ds, { batchSize: o.batchSize, mode: o.mode, concurrency: o.concurrency, prefetch: o.prefetch });
    const setupSeconds = (performance.now() - t0) / 1000;
    const times: number[] = [];
    const cpu: number[] = [];
    let batches = 0,
      clips = 0;
    for (let pass = 0; pass <= o.passes; pass++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      batches = 0;
      clips = 0;
      for await (const batch of loader.batches({ epoch: pass })) {
        batches++;
        clips += batch.labels.length;
        // A training loop that copies the batch (e.g. into a WASM tensor) can hand the buffer back.
        if (o.release) loader.release?.(batch);
      }
      if (pass > 0) {
        times.push((performance.now() - start) / 1000);
        const used = process.cpuUsage(cpuStart);
        cpu.push((used.user + used.system) / 1e6 / clips);
      }
    }
    times.sort((a, b) => a - b);
    const secondsPerPass = times[Math.floor(times.length / 2)]!;
    cpu.sort((a, b) => a - b);
    const cpuSecondsPerClip = cpu[Math.floor(cpu.length / 2)]!;
    return {
      clipsPerSecond: clips / secondsPerPass,
      framesPerSecond: (clips * o.numFrames) / secondsPerPass,
      secondsPerPass,
      clips,
      batches,
      skipped: loader.report().skipped,
      setupSeconds,
      cpuSecondsPerClip,
      cpuBoundClipsPerSecond: availableParallelism() / cpuSecondsPerClip,
      cores: availableParallelism(),
      threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
      options: {
        clips: o.clips,
        uniqueClips: o.uniqueClips,
        storedFrames: o.storedFrames,
        storedSize: o.storedSize,
        numFrames: o.numFrames,
        size: o.size,
        batchSize: o.batchSize,
        concurrency: o.concurrency,
        prefetch: o.prefetch,
        mode: o.mode,
        passes: o.passes,
        release: o.release,
        sharpCache: o.sharpCache,
      },
    };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
