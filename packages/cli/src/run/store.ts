// A run folder: epoch checkpoints (last N kept), best checkpoint, metrics.jsonl, history, settings, plots, the
// exported model (model.safetensors + config.json, loadable by every loader), and the `runs/latest` link.
import { existsSync } from 'node:fs';
import { appendFile, lstat, mkdir, readdir, readFile, realpath, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { encodeTrainState, type TrainState, type CheckpointInfo } from '@adatosk/core';
import { writeFileAtomic } from './atomic.js';
import { CliError } from '../errors.js';

export const CKPT_PREFIX = 'checkpoint-epoch-';
export const BEST = 'checkpoint-best.safetensors';
export const LAST = 'checkpoint-last.safetensors';
/** The exported model (HF key names, config in its metadata): what the demo, `loadModel` and `predict` read. */
export const MODEL = 'model.safetensors';
/** The exported model's config (HF `config.json`, plus the AdaTosk options under `adatosk`). */
export const MODEL_CONFIG = 'config.json';
/** The run's settings: the training config, class names, fold, model config and AdaTosk options. */
export const RUN_SETTINGS = 'run.json';
/** Epoch and evaluation history, kept across resumes (the plots read it). */
export const HISTORY = 'history.json';

export function timestampName(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

/** Where `latest` links go once the run has a checkpoint: `latest` in `parent` -> `dir`. */
interface PendingLink {
  parent: string;
  dir: string;
}

export class RunStore {
  private links: PendingLink[];
  private linked = false;

  constructor(
    readonly dir: string,
    readonly keepLast = 2,
    links: PendingLink[] = [],
  ) {
    this.links = links;
  }

  /**
   * Creates a new run folder under `parent`: `name` when given (refused when it exists and is not empty, so two
   * runs never mix their checkpoints), else a timestamp, with `-2`, `-3`, ... when that folder exists already.
   * `parent/latest` moves to the run only once it has saved a checkpoint (`saveCheckpoint`).
   */
  static async create(
    parent: string,
    name: string | undefined,
    keepLast: number,
    opts: { now?: Date; alsoLink?: PendingLink[] } = {},
  ): Promise<RunStore> {
    const root = resolve(parent);
    await mkdir(root, { recursive: true });
    let dir: string;
    if (name !== undefined) {
      dir = resolve(root, name);
      const entries = await readdir(dir).catch(() => null);
      if (entries && entries.length > 0) {
        throw new CliError(
          `run folder '${dir}' already exists; pick another --name (output.name), or continue that run with --resume ${dir}`,
          2,
        );
      }
      await mkdir(dir, { recursive: true });
    } else {
      const base = timestampName(opts.now);
      for (let i = 1; ; i++) {
        dir = join(root, i === 1 ? base : `${base}-${i}`);
        try {
          await mkdir(dir); // not recursive: fails when the folder exists, so two runs in one second get two folders
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
    }
    return new RunStore(dir, keepLast, [{ parent: root, dir }, ...(opts.alsoLink ?? [])]);
  }

  /** Points `latest` in each pending parent at its run (done once, after the first checkpoint). */
  private async linkPending(): Promise<void> {
    if (this.linked) return;
    this.linked = true;
    for (const { parent, dir } of this.links) await linkLatest(parent, dir);
  }

  async saveCheckpoint(state: TrainState, info: CheckpointInfo): Promise<string> {
    const bytes = encodeTrainState(state);
    // `last` always holds the newest state (mid-epoch and abort checkpoints included): --resume reads it.
    const last = join(this.dir, LAST);
    await writeFileAtomic(last, bytes);
    let where = last;
    if (info.reason === 'epoch') {
      where = join(this.dir, `${CKPT_PREFIX}${String(info.epoch).padStart(3, '0')}.safetensors`);
      await writeFileAtomic(where, bytes);
      if (info.best) await writeFileAtomic(join(this.dir, BEST), bytes);
      await this.prune();
    }
    await this.linkPending();
    return where;
  }

  private async prune(): Promise<void> {
    const files = (await readdir(this.dir)).filter((f) => f.startsWith(CKPT_PREFIX)).sort();
    for (const f of files.slice(0, Math.max(0, files.length - this.keepLast))) await rm(join(this.dir, f), { force: true });
  }

  async appendMetrics(record: unknown): Promise<void> {
    await appendFile(join(this.dir, 'metrics.jsonl'), JSON.stringify(record) + '\n');
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(join(this.dir, name), JSON.stringify(value, null, 2) + '\n');
  }
}

/** `parent/latest` -> `dir` (a relative symlink; a LATEST text file where links are not allowed). */
export async function linkLatest(parent: string, dir: string): Promise<void> {
  const link = join(resolve(parent), 'latest');
  try {
    if (existsSync(link) || (await lstat(link).catch(() => null))) await unlink(link);
    await symlink(basename(dir), link, 'dir');
  } catch {
    await writeFile(join(resolve(parent), 'LATEST'), dir + '\n').catch(() => {});
  }
}

/**
 * Finds the checkpoint a user meant: a file, or a run folder (`runs/latest` included): the best training
 * checkpoint, then the last, then the newest epoch checkpoint, then the exported model.safetensors. A k-fold
 * run folder is followed into its `latest` fold. `prefer` picks best (for predict/eval) or last (for resume).
 */
export async function resolveCheckpoint(path: string, prefer: 'best' | 'last'): Promise<string> {
  // Real path: `runs/latest` is a link, and a resumed run must write into the run folder it points to.
  const p = await realpath(resolve(path)).catch(() => resolve(path));
  const s = await stat(p).catch(() => null);
  if (!s) {
    throw new CliError(
      `checkpoint '${path}' does not exist; pass a checkpoint file or a run folder (e.g. runs/latest), written by 'adatosk train'`,
      2,
    );
  }
  if (s.isFile()) return p;
  const order = prefer === 'best' ? [BEST, LAST] : [LAST, BEST];
  for (const name of order) if (existsSync(join(p, name))) return join(p, name);
  const files = await readdir(p);
  const epochs = files.filter((f) => f.startsWith(CKPT_PREFIX)).sort();
  if (epochs.length) return join(p, epochs[epochs.length - 1]);
  if (prefer === 'best' && files.includes(MODEL)) return join(p, MODEL);
  if (files.includes('latest')) return resolveCheckpoint(join(p, 'latest'), prefer); // a k-fold run: its newest fold
  throw new CliError(
    `folder '${path}' holds no checkpoint (${BEST}, ${LAST}, ${CKPT_PREFIX}NNN.safetensors${prefer === 'best' ? ` or ${MODEL}` : ''}); did the run save one?`,
    2,
  );
}

export async function readCheckpointBytes(file: string): Promise<Uint8Array> {
  const buf = await readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
