// `adatosk bench --pipeline [--cache <dir>]`: how fast the input pipeline delivers augmented training
// batches (16 x 160 x 160 by default) from the source frames and from a frame cache, as the trainer drives
// it (worker threads, next batch prefetched), with CPU time per clip (independent of other load on the
// machine). Without --cache it writes DFEW-like synthetic JPEG clips (224 x 224) and a temporary cache of them.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { ClipDataset } from '@adatosk/core';
import {
  ClipWorkerPool,
  augmentOnDevice,
  benchmarkLoading,
  clipTrainData,
  createDatasetFromSpec,
  openCacheDataset,
  openList,
  packedTrainData,
  prefetchTrainData,
  prepareCache,
  readManifest,
  type CacheClipDataset,
  type CacheFrameFormat,
  type LoadingBenchmark,
  writeBenchClips,
} from '@adatosk/datasets';
import type { ArgsDef } from 'citty';
import { num } from '../args.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { useBackend } from '../runtime/backend.js';

export interface PipelineBenchOptions {
  /** A frame cache to time (its source is timed too); default: a temporary cache of synthetic JPEG clips. */
  cache?: string;
  /** Split of the cache (default: its first train split). */
  split?: string;
  /** Timed clips per measurement (default 256). */
  clips?: number;
  batchSize?: number;
  numFrames?: number;
  size?: number;
  /** Worker counts to time the source with (default 1, 2, ..., up to the cores; at most 4 counts). */
  workers?: number[];
  /** Synthetic clips written when no cache is given (default 16 clips of 48 frames, 224 x 224). */
  synthetic?: { clips: number; frames: number; size: number };
  /** Temporary cache: format and stored size (default raw, = size). */
  format?: CacheFrameFormat;
  storedSize?: number;
  /** Backend the batches are made tensors on (default cpu: no copy, so the pipeline itself is timed). */
  backend?: string;
  json?: boolean;
  io?: Io;
}

export interface PipelineRate {
  clipsPerSecond: number;
  framesPerSecond: number;
  cores: number;
  workers: number;
  /** CPU time (all threads) per clip. */
  cpuMsPerClip: number;
  /** cores * 1000 / cpuMsPerClip: the rate with every core to itself. */
  cpuBoundClipsPerSecond: number;
  /** 1-minute load average at the end of the timing (other work on the machine). */
  loadAverage: number;
}

export interface PipelineBenchResult {
  /** The cache's rate (augmented on the CPU) when one was timed, else the source's. */
  clipsPerSecond: number;
  framesPerSecond: number;
  cores: number;
  backend: string;
  input: { frames: number; size: number; batchSize: number };
  source: PipelineRate & { what: string; scaling: PipelineRate[] };
  cache?: PipelineRate & {
    dir: string;
    format: CacheFrameFormat;
    storedSize: number;
    bytes?: number;
    prepareSeconds?: number;
    /** Stored frames delivered packed for augmentation on the device (the augmentation itself not included). */
    packed: PipelineRate;
    /** One batch augmented with tensor ops on `backend`, when it is a GPU backend (there it replaces the CPU augmentation). */
    deviceAugmentMsPerBatch?: number;
  };
}

/** Flags of `adatosk bench --pipeline` (spread into the bench command's args). */
export const pipelineArgs = {
  pipeline: { type: 'boolean', default: false, description: 'Only the input pipeline: source frames and a frame cache (see --cache)' },
  cache: { type: 'string', description: 'With --pipeline: time this frame cache and its source', valueHint: 'dir' },
  'cache-format': {
    type: 'string',
    description: 'With --pipeline and no --cache: raw (default) or jpeg for the temporary cache',
    valueHint: 'raw|jpeg',
  },
  'stored-size': {
    type: 'string',
    description: 'With --pipeline and no --cache: stored frame size of the temporary cache (default 160)',
    valueHint: 'px',
  },
  'pipeline-workers': {
    type: 'string',
    description: 'With --pipeline: worker counts to time the source with, e.g. 1,2,16 (default 1, 2, ... cores)',
    valueHint: 'list',
  },
  'pipeline-clips': { type: 'string', description: 'With --pipeline: clips per timing (default 256)', valueHint: 'n' },
} as const satisfies ArgsDef;

export function pipelineOptions(args: Record<string, unknown>): PipelineBenchOptions {
  const format = args['cache-format'];
  if (format !== undefined && format !== 'raw' && format !== 'jpeg')
    throw new CliError(`--cache-format '${String(format)}': use raw or jpeg`, 2);
  const list = args['pipeline-workers'];
  const workers = typeof list === 'string' ? list.split(',').map((w) => num('pipeline-workers', w)!) : undefined;
  return {
    ...(typeof args.cache === 'string' ? { cache: args.cache } : {}),
    ...(format ? { format } : {}),
    ...(args['stored-size'] !== undefined ? { storedSize: num('stored-size', args['stored-size']) } : {}),
    ...(workers ? { workers } : {}),
    ...(args['pipeline-clips'] !== undefined ? { clips: num('pipeline-clips', args['pipeline-clips']) } : {}),
    ...(typeof args.backend === 'string' ? { backend: args.backend } : {}),
    json: args.json === true,
  };
}

const GPU_BACKENDS = new Set(['webgpu', 'webgl', 'tensorflow']);

const rate = (b: LoadingBenchmark, workers: number): PipelineRate => ({
  clipsPerSecond: b.clipsPerSecond,
  framesPerSecond: b.framesPerSecond,
  cores: b.cores,
  workers,
  cpuMsPerClip: b.cpuMsPerClip,
  cpuBoundClipsPerSecond: b.cpuBoundClipsPerSecond,
  loadAverage: b.loadAverage,
});

/** Default worker counts: 1, 2, 4, ... up to the cores, and the cores (at most 4 counts). */
function workerCounts(cores: number): number[] {
  const out = [1];
  for (let w = 2; w < cores && out.length < 3; w *= 2) out.push(w);
  if (!out.includes(cores)) out.push(cores);
  return out;
}

async function timeWith(
  ds: ClipDataset,
  workers: number,
  o: { batchSize: number; batches: number; numFrames: number; packed?: boolean },
): Promise<LoadingBenchmark> {
  const pool = await ClipWorkerPool.start({ workers });
  try {
    const inner = o.packed ? packedTrainData(ds as CacheClipDataset, { executor: pool }) : clipTrainData(ds, { executor: pool });
    const data = prefetchTrainData(inner);
    try {
      return await benchmarkLoading(data, { batchSize: o.batchSize, batches: o.batches, numFrames: o.numFrames });
    } finally {
      await data.dispose();
    }
  } finally {
    await pool.close();
  }
}

/** The source split a cache was made from. */
async function sourceOf(dir: string, split: string, read: { numFrames: number; size: number }): Promise<ClipDataset> {
  const m = await readManifest(dir);
  if (!m) throw new CliError(`--cache '${dir}' holds no frame cache; make one with 'adatosk datasets prepare'`, 2);
  const id = m.identity;
  const fold = split.match(/^fold(\d+)\//)?.[1];
  const name = split.replace(/^fold\d+\//, '');
  const where =
    id.dataset === 'list'
      ? { listFile: m.splits[split]!.file?.path }
      : { ...(fold ? { fold: Number(fold) } : {}), ...(name !== 'all' ? { split: name } : {}) };
  return createDatasetFromSpec({ name: id.dataset, options: { ...id.options, root: id.root, ...where, ...read } });
}

export async function runPipelineBench(opts: PipelineBenchOptions = {}): Promise<PipelineBenchResult> {
  const io = opts.io ?? processIo;
  const backend = await useBackend(opts.backend ?? 'cpu');
  const cores = availableParallelism();
  const B = opts.batchSize ?? 16,
    T = opts.numFrames ?? 16,
    S = opts.size ?? 160;
  const batches = Math.max(1, Math.ceil((opts.clips ?? 256) / B));
  const read = { numFrames: T, size: S };
  const say = (line: string) => !opts.json && io.err(line);
  let tmp: string | undefined;
  try {
    let source: ClipDataset;
    let what: string;
    let cache: CacheClipDataset;
    let prepared: { bytes: number; seconds: number } | undefined;
    if (opts.cache) {
      const m = await readManifest(opts.cache);
      if (!m) throw new CliError(`--cache '${opts.cache}' holds no frame cache; make one with 'adatosk datasets prepare'`, 2);
      const split = opts.split ?? Object.keys(m.splits).find((k) => /train/.test(k)) ?? Object.keys(m.splits)[0]!;
      cache = await openCacheDataset(opts.cache, { split, ...read, size: m.identity.size });
      source = await sourceOf(opts.cache, split, { ...read, size: m.identity.size });
      what = `${source.name} at ${m.identity.root}`;
    } else {
      tmp = await mkdtemp(join(tmpdir(), 'adatosk-bench-pipeline-'));
      const syn = opts.synthetic ?? { clips: 16, frames: 48, size: 224 };
      what = `${syn.clips} synthetic clips of ${syn.frames} JPEG frames, ${syn.size} x ${syn.size} (DFEW clip_224x224-like), cycled`;
      say(`bench --pipeline: writing ${what} ...`);
      const listFile = await writeBenchClips(join(tmp, 'clips'), {
        clips: 256,
        uniqueClips: syn.clips,
        storedFrames: syn.frames,
        storedSize: syn.size,
      });
      source = await openList({ root: join(tmp, 'clips'), listFile, ...read });
      say('bench --pipeline: preparing a frame cache of them ...');
      const pool = await ClipWorkerPool.start({ workers: cores });
      try {
        const r = await prepareCache({
          dataset: 'list',
          root: join(tmp, 'clips'),
          listFiles: [listFile],
          out: join(tmp, 'cache'),
          size: S,
          storedSize: opts.storedSize ?? S,
          format: opts.format ?? 'raw',
          executor: pool,
        });
        prepared = { bytes: r.bytes, seconds: r.seconds };
      } finally {
        await pool.close();
      }
      cache = await openCacheDataset(join(tmp, 'cache'), { split: 'list', ...read });
    }
    const scaling: PipelineRate[] = [];
    for (const w of opts.workers ?? workerCounts(cores)) {
      say(`bench --pipeline: source, ${w} worker${w === 1 ? '' : 's'} ...`);
      scaling.push(rate(await timeWith(source, w, { batchSize: B, batches, numFrames: T }), w));
    }
    const best = scaling.reduce((a, b) => (b.clipsPerSecond > a.clipsPerSecond ? b : a));
    say(`bench --pipeline: cache, ${cores} workers ...`);
    const cached = rate(await timeWith(cache, cores, { batchSize: B, batches, numFrames: T }), cores);
    const packed = rate(await timeWith(cache, cores, { batchSize: B, batches, numFrames: T, packed: true }), cores);
    // One batch of the device path's augmentation, where the backend is a GPU (tfjs' CPU kernels take minutes for it).
    let deviceAugmentMsPerBatch: number | undefined;
    if (GPU_BACKENDS.has(backend)) {
      const sample = await packedTrainData(cache).load(
        Array.from({ length: B }, (_, k) => k % cache.length),
        { epoch: 0, seed: 0 },
      );
      const augments = await Promise.all(
        Array.from(
          { length: sample.labels.shape[0]! },
          async (_, k) => (await cache.plan(k % cache.length, { mode: 'train', epoch: 0 })).work.augment,
        ),
      );
      const frames = tf.reshape(sample.clips, [augments.length * T, cache.storedSize, cache.storedSize]);
      for (let rep = 0; rep < 2; rep++) {
        const t0 = performance.now();
        const out = augmentOnDevice(frames, { framesPerClip: T, augments });
        await out.data();
        deviceAugmentMsPerBatch = performance.now() - t0; // the second run: shaders compiled
        out.dispose();
      }
      tf.dispose([frames, sample.clips, sample.labels]);
    }
    const result: PipelineBenchResult = {
      clipsPerSecond: cached.clipsPerSecond,
      framesPerSecond: cached.framesPerSecond,
      cores,
      backend,
      input: { frames: T, size: S, batchSize: B },
      source: { ...best, what, scaling },
      cache: {
        ...cached,
        dir: opts.cache ?? '(temporary)',
        format: cache.cache.manifest.identity.format,
        storedSize: cache.storedSize,
        ...(prepared ? { bytes: prepared.bytes, prepareSeconds: prepared.seconds } : {}),
        packed,
        ...(deviceAugmentMsPerBatch !== undefined ? { deviceAugmentMsPerBatch } : {}),
      },
    };
    if (!opts.json) {
      const line = (r: PipelineRate) =>
        `${r.clipsPerSecond.toFixed(1)} clips/s (${r.framesPerSecond.toFixed(0)} frames/s), ${r.cpuMsPerClip.toFixed(1)} CPU-ms/clip, ${r.workers} workers`;
      io.out(
        `pipeline ${B} x ${T} x ${S} x ${S} batches on ${cores} cores (load average ${loadavg()[0]!.toFixed(1)}; tensors on ${backend})`,
      );
      io.out(`  source  ${line(best)}  [${what}]`);
      for (const s of scaling)
        io.out(
          `          ${s.workers} worker${s.workers === 1 ? ' ' : 's'}: ${s.clipsPerSecond.toFixed(1)} clips/s, ${s.cpuMsPerClip.toFixed(1)} CPU-ms/clip`,
        );
      io.out(`  cache   ${line(cached)}  [${result.cache!.format}, stored ${cache.storedSize} px, augmented in workers]`);
      const device =
        deviceAugmentMsPerBatch === undefined
          ? 'not timed on a CPU backend'
          : `${deviceAugmentMsPerBatch.toFixed(1)} ms/batch to augment on ${backend}`;
      io.out(`  packed  ${line(packed)}  [stored frames for augmentation on the device; ${device}]`);
    } else io.out(JSON.stringify({ pipeline: result }));
    return result;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
