// Times a TrainData as the training loop drives it (the next batch hinted before waiting for the current
// one), without a model: clips/s delivered as tensors, and CPU time per clip over every thread of the
// process (worker threads included), which does not depend on other load on the machine.
import { availableParallelism, loadavg } from 'node:os';
import type { TrainData } from '@adatosk/core';

export interface LoadingBenchmarkOptions {
  batchSize: number;
  /** Timed batches (default: enough for 256 clips). */
  batches?: number;
  /** Untimed batches first (default 1): worker start-up, JIT, page cache. */
  warmup?: number;
  /** Frames per clip, for frames/s. */
  numFrames: number;
}

export interface LoadingBenchmark {
  clipsPerSecond: number;
  framesPerSecond: number;
  /** Process CPU time (all threads) per clip, in ms. */
  cpuMsPerClip: number;
  /** `cores * 1000 / cpuMsPerClip`: the rate with every core to itself. */
  cpuBoundClipsPerSecond: number;
  clips: number;
  seconds: number;
  cores: number;
  /** 1-minute load average when the timing ended (other work on the machine). */
  loadAverage: number;
}

export async function benchmarkLoading(data: TrainData, o: LoadingBenchmarkOptions): Promise<LoadingBenchmark> {
  const B = o.batchSize;
  const batches = o.batches ?? Math.max(1, Math.ceil(256 / B));
  const warmup = o.warmup ?? 1;
  const indicesOf = (b: number) => Array.from({ length: B }, (_, k) => (b * B + k) % data.size);
  const ctxOf = (b: number) => ({ epoch: b, seed: b });
  let clips = 0;
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  for (let b = 0; b < warmup + batches; b++) {
    if (b === warmup) {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    }
    const loading = data.load(indicesOf(b), ctxOf(b));
    if (b + 1 < warmup + batches) data.prefetch?.(indicesOf(b + 1), ctxOf(b + 1));
    const batch = await loading;
    if (b >= warmup) clips += batch.labels.shape[0]!;
    batch.clips.dispose();
    batch.labels.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpuMsPerClip = (used.user + used.system) / 1000 / clips;
  const cores = availableParallelism();
  return {
    clipsPerSecond: clips / seconds,
    framesPerSecond: (clips * o.numFrames) / seconds,
    cpuMsPerClip,
    cpuBoundClipsPerSecond: (cores * 1000) / cpuMsPerClip,
    clips,
    seconds,
    cores,
    loadAverage: loadavg()[0]!,
  };
}
