// A run folder: epoch checkpoints (last N kept), best checkpoint, metrics.jsonl, config, plots, `runs/latest` link.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, realpath, rm, symlink, stat, lstat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, basename } from 'node:path';
import { encodeTrainState, readTrainStateInfo, type TrainState, type CheckpointInfo } from '@adatosk/core';
import { writeFileAtomic } from './atomic.js';
import { CliError } from '../errors.js';

export const CKPT_PREFIX = 'checkpoint-epoch-';
export const BEST = 'checkpoint-best.safetensors';
export const LAST = 'checkpoint-last.safetensors';

export function timestampName(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

export class RunStore {
  constructor(readonly dir: string, readonly keepLast = 2) {}

  static async create(parent: string, name: string | undefined, keepLast: number): Promise<RunStore> {
    const dir = resolve(parent, name ?? timestampName());
    await mkdir(dir, { recursive: true });
    const store = new RunStore(dir, keepLast);
    await store.linkLatest(parent);
    return store;
  }

  /** `runs/latest` -> this run (a relative symlink; skipped silently where links are not allowed). */
  async linkLatest(parent: string): Promise<void> {
    const link = join(resolve(parent), 'latest');
    try {
      if (existsSync(link) || (await lstat(link).catch(() => null))) await unlink(link);
      await symlink(basename(this.dir), link, 'dir');
    } catch {
      await writeFile(join(resolve(parent), 'LATEST'), this.dir + '\n').catch(() => {});
    }
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

/**
 * Finds the checkpoint file a user meant: a file, a run folder (best, then last), or `runs/latest`.
 * `prefer` picks best (for predict/eval) or last (for resume).
 */
export async function resolveCheckpoint(path: string, prefer: 'best' | 'last'): Promise<string> {
  // Real path: `runs/latest` is a link, and a resumed run must write into the run folder it points to.
  const p = await realpath(resolve(path)).catch(() => resolve(path));
  const s = await stat(p).catch(() => null);
  if (!s) {
    throw new CliError(`checkpoint '${path}' does not exist; pass a checkpoint file or a run folder (e.g. runs/latest), written by 'adatosk train'`, 2);
  }
  if (s.isFile()) return p;
  const order = prefer === 'best' ? [BEST, LAST] : [LAST, BEST];
  for (const name of order) if (existsSync(join(p, name))) return join(p, name);
  const epochs = (await readdir(p)).filter((f) => f.startsWith(CKPT_PREFIX)).sort();
  if (epochs.length) return join(p, epochs[epochs.length - 1]);
  throw new CliError(`folder '${path}' holds no checkpoint (${BEST}, ${LAST} or ${CKPT_PREFIX}NNN.safetensors); did the run save one?`, 2);
}

export async function readCheckpointBytes(file: string): Promise<Uint8Array> {
  const buf = await readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function checkpointMeta(bytes: Uint8Array, file: string): Record<string, unknown> {
  try {
    return readTrainStateInfo(bytes, file).meta ?? {};
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`, 2);
  }
}
