// A pool of worker threads that decode and augment clips (and encode frames for `prepare`), so the work
// scales with cores while the main thread runs the training step. Clips are written straight into
// SharedArrayBuffer-backed batch slots (no copy back); other targets get the result transferred and copied.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ClipLoadError } from '@adatosk/core';
import { loadSharp } from '../io/sharp.js';
import type { ClipExecutor, ClipWork, EncodeWork, EncodedClip } from '../work/types.js';
import { workOutputLength } from '../work/types.js';
import type { SharedTarget, WorkerFailure, WorkerRequest, WorkerResponse } from './protocol.js';
import { workerScript } from './script.js';

export interface WorkerPoolOptions {
  /** Worker threads (default: the number of cores, `os.availableParallelism()`). */
  workers?: number;
  /** Tasks one worker holds at once (default 2): its JavaScript runs while another task waits on a decode. */
  tasksPerWorker?: number;
  /** The worker script (default: the packaged one; see `workerScript`). */
  script?: string | URL;
  /**
   * libvips threads per image (`sharp.concurrency`, process-wide; default 1: clips already decode in
   * parallel, and more threads per small frame cost ~25% more CPU). `null` leaves sharp's setting alone.
   */
  sharpThreads?: number | null;
}

interface Pending {
  resolve: (value: WorkerResponse & { ok: true }) => void;
  reject: (error: Error) => void;
  clipId: string;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
  /** Resolves when the worker runs, rejects if it fails first. */
  ready: Promise<void>;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Queued {
  request: WorkerRequest;
  pending: Pending;
}

/** Converts a worker's failure report into the error the main thread throws. */
function toError(failure: WorkerFailure, clipId: string): Error {
  if (failure.kind) return new ClipLoadError(clipId, failure.kind, failure.message);
  const error = new Error(`pipeline worker: ${failure.message}`);
  if (failure.stack) error.stack = `${error.message}\n(worker) ${failure.stack}`;
  return error;
}

function sharedTarget(target: Float32Array | Int32Array): SharedTarget | undefined {
  if (!(typeof SharedArrayBuffer !== 'undefined' && target.buffer instanceof SharedArrayBuffer)) return undefined;
  return {
    buffer: target.buffer,
    byteOffset: target.byteOffset,
    length: target.length,
    dtype: target instanceof Float32Array ? 'float32' : 'int32',
  };
}

export class ClipWorkerPool implements ClipExecutor {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when workers cannot run (they crash at start, or keep crashing): every task fails with it. */
  private broken: Error | undefined;
  private crashes: number[] = [];

  private constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly tasksPerWorker: number,
    private readonly sharpThreads: number | undefined,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Starts `workers` threads (loads sharp in the main thread first, so its native library outlives every worker). */
  static async start(options: WorkerPoolOptions = {}): Promise<ClipWorkerPool> {
    const size = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
    const perWorker = Math.max(1, Math.floor(options.tasksPerWorker ?? 2));
    await loadSharp();
    const threads = options.sharpThreads === null ? undefined : (options.sharpThreads ?? 1);
    const pool = new ClipWorkerPool(await workerScript(options.script), size, perWorker, threads);
    // Fail here, clearly, when the worker script cannot run at all.
    await Promise.all(pool.slots.map((s) => s.ready)).catch(async (error: Error) => {
      await pool.close();
      throw new Error(
        `pipeline worker threads cannot start (${error.message}); set ADATOSK_PIPELINE_WORKER to the worker script, or load on the main thread (workers: 0)`,
      );
    });
    return pool;
  }

  /** Tasks the pool runs at once (workers x tasks per worker): keep at least this many loads in flight. */
  get capacity(): number {
    return this.size * this.tasksPerWorker;
  }

  private spawn(): Slot {
    // Node flags carry over to workers, except one that only applies to a main script given as a string.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(this.script, { workerData: { sharpThreads: this.sharpThreads }, execArgv });
    let online = false;
    let started!: () => void, failed!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject)));
    ready.catch(() => {}); // observed by start(); a later crash is handled below
    const slot: Slot = { worker, inFlight: new Map(), ready };
    worker.unref(); // an idle pool never keeps the process alive; busy workers are ref'd below
    worker.on('message', (msg: WorkerResponse | { ready: true }) => {
      if ('ready' in msg) {
        online = true; // the script loaded and listens
        started();
      } else this.settle(slot, msg);
    });
    const fail = (reason: string) => {
      const error = new Error(`pipeline worker stopped: ${reason}`);
      failed(error);
      for (const p of slot.inFlight.values()) p.reject(error);
      slot.inFlight.clear();
      const i = this.slots.indexOf(slot);
      if (i < 0 || this.closed) return;
      // A worker that never ran, or crashes again and again, is not replaced: the pool is broken.
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
      if (!online || this.crashes.length > 3 * this.size) {
        this.broken = error;
        for (const q of this.queue.splice(0)) q.pending.reject(error);
        return;
      }
      this.slots[i] = this.spawn();
      this.dispatch();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) fail(`exit code ${code}`);
    });
    return slot;
  }

  private settle(slot: Slot, msg: WorkerResponse): void {
    const p = slot.inFlight.get(msg.id);
    if (!p) return;
    slot.inFlight.delete(msg.id);
    if (slot.inFlight.size === 0) slot.worker.unref();
    if (msg.ok) p.resolve(msg);
    else p.reject(toError(msg.error, p.clipId));
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const s of this.slots) if (s.inFlight.size < this.tasksPerWorker && (!best || s.inFlight.size < best.inFlight.size)) best = s;
      if (!best) return;
      const { request, pending } = this.queue.shift()!;
      best.inFlight.set(request.id, pending);
      best.worker.ref();
      best.worker.postMessage(request);
    }
  }

  private submit(request: WithoutId<WorkerRequest>, clipId: string): Promise<WorkerResponse & { ok: true }> {
    if (this.closed) return Promise.reject(new Error('the pipeline worker pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ } as WorkerRequest, pending: { resolve, reject, clipId } });
      this.dispatch();
    });
  }

  async run(work: ClipWork, target: Float32Array | Int32Array): Promise<void> {
    const length = workOutputLength(work);
    if (target.length !== length) throw new RangeError(`clip ${work.id}: target has ${target.length} values, the work writes ${length}`);
    const shared = sharedTarget(target);
    const reply = await this.submit({ type: 'run', work, length, ...(shared ? { target: shared } : {}) }, work.id);
    if (!shared) target.set(reply.output!);
  }

  async encode(work: EncodeWork): Promise<EncodedClip> {
    return (await this.submit({ type: 'encode', work }, work.id)).encoded!;
  }

  /** Stops every worker; tasks still queued or running reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('the pipeline worker pool was closed');
    for (const q of this.queue.splice(0)) q.pending.reject(error);
    for (const s of this.slots) for (const p of s.inFlight.values()) p.reject(error);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
