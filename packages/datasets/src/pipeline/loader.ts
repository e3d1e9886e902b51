// Batched, prefetching loader over any ClipDataset. Loads run concurrently (bounded), results are
// consumed in order, look-ahead is bounded (memory stays flat), broken clips are skipped and named,
// and too many of them stop the pass with a DatasetError. Pure TypeScript: works in Node and browsers.
import {
  type ClipBatch,
  type ClipDataset,
  type ClipFailure,
  type ClipLoader,
  type ClipLoadOptions,
  type ClipMode,
  type ClipPassOptions,
  type ClipSample,
  type SkipReport,
  DatasetError,
  isClipLoadError,
  seedStream,
} from '@adatosk/core';
import { isPlannedDataset } from '../work/planned.js';
import type { ClipExecutor } from '../work/types.js';
import { Semaphore } from './semaphore.js';

export interface LoaderOptions {
  batchSize: number;
  mode: ClipMode;
  /** Shuffle each pass by (seed, epoch); default true in train mode, false in test mode. */
  shuffle?: boolean;
  /** Seed for shuffling and for the dataset's train randomness (default: the dataset's seed). */
  seed?: number;
  /** Clip loads in flight at once (default 4, or the executor's capacity). */
  concurrency?: number;
  /**
   * Where planned loads run (a `ClipWorkerPool` from `@adatosk/datasets`): datasets that plan their loads
   * (file datasets, frame caches) are decoded and augmented there, straight into the batch buffers.
   */
  executor?: ClipExecutor;
  /** Batches prepared ahead of the consumer (default 1); bounds memory at about (prefetch + 1) batches. */
  prefetch?: number;
  /** Largest tolerated fraction of skipped clips (default 0.1); more stops the pass. */
  maxFailureFraction?: number;
  /** Attempts before the fraction is enforced mid-pass (default 20); always enforced at the end of a pass. */
  minAttempts?: number;
  /** Drop a last, smaller batch (default false). */
  dropLast?: boolean;
  /** Restrict to these dataset indices (default all). */
  indices?: readonly number[];
  /** Called for every skipped clip, e.g. to log it. */
  onSkip?: (failure: ClipFailure) => void;
}

type Settled = { ok: true; sample: ClipSample } | { ok: false; error: unknown };

/** Creates a batched loader; see `ClipLoader` in `@adatosk/core`. */
export function createLoader(dataset: ClipDataset, options: LoaderOptions): ClipLoader {
  const { batchSize, mode } = options;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (mode !== 'train' && mode !== 'test') throw new RangeError(`mode must be 'train' or 'test', got '${String(mode)}'`);
  const shuffle = options.shuffle ?? mode === 'train';
  const seed = options.seed ?? dataset.seed;
  const executor = options.executor;
  const concurrency = Math.max(1, options.concurrency ?? (executor as { capacity?: number } | undefined)?.capacity ?? 4);
  const planned = executor && isPlannedDataset(dataset) ? dataset : undefined;
  // Workers write into SharedArrayBuffer-backed batch buffers in place.
  const shared = planned !== undefined && typeof SharedArrayBuffer !== 'undefined';
  const prefetch = Math.max(0, options.prefetch ?? 1);
  const maxFailureFraction = options.maxFailureFraction ?? 0.1;
  const minAttempts = options.minAttempts ?? 20;
  const base = options.indices ? [...options.indices] : Array.from({ length: dataset.length }, (_, i) => i);
  for (const i of base) {
    if (!(Number.isInteger(i) && i >= 0 && i < dataset.length))
      throw new RangeError(`index ${i} is outside 0..${dataset.length - 1} of ${dataset.name}`);
  }
  const T = dataset.numFrames,
    S = dataset.size;
  const clipLength = T * S * S * 3;
  // Clips are decoded straight into batch buffers at their optimistic position (as if nothing fails);
  // only a skip shifts later clips, with one copy each. Released batch buffers are reused: fresh
  // multi-megabyte arrays cost zeroing and page faults on every batch.
  const batchPool: Float32Array[] = [];
  const newBatchBuffer = () =>
    batchPool.pop() ??
    (shared ? new Float32Array(new SharedArrayBuffer(batchSize * clipLength * 4)) : new Float32Array(batchSize * clipLength));
  const loadOne = async (index: number, o: ClipLoadOptions & { target: Float32Array }): Promise<ClipSample> => {
    if (!planned) return dataset.load(index, o);
    const { work, sample } = await planned.plan(index, o);
    await executor!.run(work, o.target);
    return { ...sample, frames: o.target };
  };
  const semaphore = new Semaphore(concurrency);
  const report: SkipReport = { attempted: 0, loaded: 0, skipped: 0, failures: [], failureFraction: 0 };
  const numBatches = options.dropLast ? Math.floor(base.length / batchSize) : Math.ceil(base.length / batchSize);

  const enforce = (final: boolean, passAttempted: number, passSkipped: number): void => {
    if (passSkipped === 0) return;
    if (!final && passAttempted < minAttempts) return;
    const fraction = passSkipped / passAttempted;
    if (fraction > maxFailureFraction) {
      const recent = report.failures
        .slice(-5)
        .map((f) => `${f.id} (${f.kind}: ${f.message})`)
        .join('; ');
      throw new DatasetError(
        `${dataset.name}: ${passSkipped} of ${passAttempted} clips could not be loaded (${(fraction * 100).toFixed(1)}%), ` +
          `more than maxFailureFraction ${maxFailureFraction}. Last failures: ${recent}. ` +
          `Check the copy with \`adatosk datasets check\` or raise maxFailureFraction.`,
      );
    }
  };

  async function* batches(pass: ClipPassOptions = {}): AsyncGenerator<ClipBatch> {
    const epoch = pass.epoch ?? 0;
    const view = pass.view ?? 0;
    if (mode === 'test' && !(Number.isInteger(view) && view >= 0 && view < dataset.testViews)) {
      throw new RangeError(`view ${view} is outside 0..${dataset.testViews - 1} of ${dataset.name}`);
    }
    const order = shuffle ? seedStream(seed, 'order', epoch).shuffle(base.slice()) : base;
    const lookahead = (prefetch + 1) * batchSize;
    const pending: Promise<Settled>[] = [];
    const buffers = new Map<number, Float32Array>(); // optimistic batch number -> buffer
    const slot = (position: number): Float32Array => {
      const k = Math.floor(position / batchSize);
      let buffer = buffers.get(k);
      if (!buffer) buffers.set(k, (buffer = newBatchBuffer()));
      const offset = (position % batchSize) * clipLength;
      return buffer.subarray(offset, offset + clipLength);
    };
    let started = 0;
    const startMore = (consumed: number): void => {
      while (started < order.length && started - consumed < lookahead) {
        const index = order[started];
        const target = slot(started++);
        // Never rejects: failures are data here, so an aborted pass leaves no unhandled rejection.
        pending.push(
          semaphore
            .run(() => loadOne(index!, { mode, epoch, view, seed, target }))
            .then(
              (sample): Settled => ({ ok: true, sample }),
              (error: unknown): Settled => ({ ok: false, error }),
            ),
        );
      }
    };
    let passAttempted = 0,
      passSkipped = 0;
    let consumed = 0;
    let batch: { sample: ClipSample; index: number }[] = [];
    let loaded = 0; // clips placed in batches this pass
    const place = (sample: ClipSample): void => {
      // Final place of the loaded-th good clip; equal to its optimistic place unless something was skipped.
      const k = Math.floor(loaded / batchSize);
      const offset = (loaded % batchSize) * clipLength;
      let buffer = buffers.get(k);
      if (!buffer) buffers.set(k, (buffer = newBatchBuffer()));
      const f = sample.frames;
      const inPlace = f.buffer === buffer.buffer && f.byteOffset === buffer.byteOffset + offset * 4;
      if (!inPlace) buffer.set(f, offset);
      loaded++;
    };
    const emit = (): ClipBatch => {
      const B = batch.length;
      const k = Math.floor((loaded - 1) / batchSize);
      const full = buffers.get(k)!;
      buffers.delete(k);
      // A short last batch gets its own exact-size array.
      const clips = B === batchSize ? full : full.slice(0, B * clipLength);
      const labels = new Int32Array(B);
      batch.forEach(({ sample }, b) => {
        labels[b] = sample.label;
      });
      const hasApex = batch.some(({ sample }) => sample.apexFrames !== undefined);
      const out: ClipBatch = {
        clips,
        shape: [B, T, S, S, 3],
        labels,
        ids: batch.map(({ sample }) => sample.id),
        indices: batch.map(({ index }) => index),
        ...(hasApex ? { apexFrames: batch.map(({ sample }) => sample.apexFrames) } : {}),
        ...(mode === 'test' ? { view } : {}),
      };
      batch = [];
      return out;
    };

    startMore(0);
    while (consumed < order.length) {
      const index = order[consumed]!;
      const settled = await pending[consumed]!;
      pending[consumed] = undefined as never; // release the sample once consumed
      consumed++;
      startMore(consumed);
      passAttempted++;
      report.attempted++;
      if (settled.ok) {
        const { sample } = settled;
        if (sample.frames.length !== clipLength) {
          throw new DatasetError(
            `${dataset.name}: clip ${sample.id} has ${sample.frames.length} values, expected ${clipLength} (${T}x${S}x${S}x3)`,
          );
        }
        report.loaded++;
        place(sample);
        batch.push({ sample, index });
        if (batch.length === batchSize) yield emit();
      } else if (isClipLoadError(settled.error)) {
        const e = settled.error;
        const failure: ClipFailure = { index, id: e.clipId, kind: e.kind, message: e.message };
        report.skipped++;
        passSkipped++;
        report.failures.push(failure);
        options.onSkip?.(failure);
        enforce(false, passAttempted, passSkipped);
      } else {
        throw settled.error;
      }
      report.failureFraction = report.skipped / report.attempted;
    }
    enforce(true, passAttempted, passSkipped);
    if (batch.length > 0 && !options.dropLast) yield emit();
  }

  return {
    dataset,
    mode,
    batchSize,
    numBatches,
    batches,
    report: () => ({ ...report, failures: [...report.failures] }),
    release(batch: ClipBatch) {
      if (batch.clips.length === batchSize * clipLength && batchPool.length < prefetch + 2) batchPool.push(batch.clips);
    },
  };
}
