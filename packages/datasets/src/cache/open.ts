// Opening a frame cache: the manifest, every shard's size, footer and frame table (cheap), and, per split
// when it is first used, whether the source changed since the cache was made. Problems stop with a
// message that names what is wrong and how to fix it.
import { join, resolve } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { MANIFEST_FILE, type CacheManifest, type ShardTable } from './format.js';
import { type VerifyLevel, fileChange, sourceChange } from './fingerprint.js';
import { readManifest } from './manifest.js';
import { readShardTable } from './shards.js';

export interface OpenCacheOptions {
  /**
   * How hard to check that the source did not change: `quick` (default: split files, clip folders, videos),
   * `full` (also every frame file's size and time), `none`.
   */
  verify?: VerifyLevel;
}

export interface FrameCache {
  readonly dir: string;
  readonly manifest: CacheManifest;
  /** Split keys, e.g. `fold1/train`. */
  readonly splits: readonly string[];
  /** Frame tables of the shards, by shard index. */
  readonly tables: readonly ShardTable[];
  /** Checks (once) that split `key`'s clips and split file are unchanged; throws CacheStaleError when not. */
  checkSplit(key: string): Promise<void>;
}

/** The cache no longer matches its source (or the options asked for). */
export class CacheStaleError extends DatasetError {}

/** The command that (re)builds this cache, for messages. */
export function prepareCommand(dir: string, m: CacheManifest): string {
  const id = m.identity;
  const folds = [...new Set(id.splits.map((k) => k.match(/^fold(\d+)\//)?.[1]).filter(Boolean))];
  const splits = [...new Set(id.splits.map((k) => k.replace(/^fold\d+\//, '')))];
  const parts = ['adatosk datasets prepare', id.dataset, JSON.stringify(id.root), '--out', JSON.stringify(dir)];
  if (folds.length && folds.length < 5) parts.push('--fold', folds.join(','));
  if (id.dataset === 'list') for (const s of Object.values(m.splits)) if (s.file) parts.push('--list-file', JSON.stringify(s.file.path));
  if (id.dataset !== 'list' && splits.length && !(splits.length === 2 && splits.includes('train') && splits.includes('test')))
    parts.push('--split', splits.join(','));
  for (const [k, v] of Object.entries(id.options))
    parts.push('--option', JSON.stringify(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`));
  if (id.size !== 160) parts.push('--size', String(id.size));
  if (id.storedSize !== id.size) parts.push('--stored-size', String(id.storedSize));
  if (id.format !== 'raw') parts.push('--format', id.format);
  return parts.join(' ');
}

const MAX_LISTED = 5;

export async function openFrameCache(dir: string, options: OpenCacheOptions = {}): Promise<FrameCache> {
  const abs = resolve(dir);
  const m = await readManifest(abs);
  if (!m)
    throw new DatasetError(
      `${abs} holds no frame cache (no ${MANIFEST_FILE}); make one with \`adatosk datasets prepare <dataset> <root> --out ${abs}\``,
    );
  const again = `run \`${prepareCommand(abs, m)}\` again`;
  if (!m.complete) {
    throw new DatasetError(
      `the frame cache in ${abs} is incomplete (prepare stopped after ${m.committed} of ${m.clips.length} clips); ${again} to finish it`,
    );
  }
  const tables: ShardTable[] = [];
  for (const shard of m.shards) {
    const t = await readShardTable(abs, shard);
    if (typeof t === 'string')
      throw new DatasetError(
        `frame cache shard ${join(abs, shard.file)} ${t}; ${again}: it keeps the intact shards and rebuilds from this one`,
      );
    tables.push(t);
  }
  const level = options.verify ?? 'quick';
  const checked = new Map<string, Promise<void>>();
  const check = async (key: string): Promise<void> => {
    const split = m.splits[key];
    if (!split)
      throw new DatasetError(
        `the frame cache in ${abs} has no split '${key}' (it has ${Object.keys(m.splits).join(', ')}); prepare one that includes it`,
      );
    if (level === 'none') return;
    const changes: string[] = [];
    for (const f of [...(split.file ? [split.file] : []), ...(split.folders ?? [])]) {
      const c = await fileChange(f);
      if (c) changes.push(c);
    }
    // Bounded parallelism: a large split has tens of thousands of clips.
    let next = 0;
    let count = changes.length;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < split.clips.length) {
          const c = await sourceChange(m.clips[split.clips[next++]!]!.source, level);
          if (c) {
            count++;
            if (changes.length < MAX_LISTED) changes.push(c);
          }
        }
      }),
    );
    if (count > 0) {
      throw new CacheStaleError(
        `the frame cache in ${abs} no longer matches its source (${count} change${count === 1 ? '' : 's'} in split ${key}): ${changes.join('; ')}` +
          `${count > changes.length ? `; and ${count - changes.length} more` : ''}. Rebuild it: \`${prepareCommand(abs, m)} --force\`, or read the source without --cache.`,
      );
    }
  };
  return {
    dir: abs,
    manifest: m,
    splits: Object.keys(m.splits),
    tables,
    checkSplit: (key) => {
      let p = checked.get(key);
      if (!p) checked.set(key, (p = check(key)));
      return p;
    },
  };
}
