// `prepare`: reads a dataset through its loader once and writes the frame cache: every frame of every clip
// of the chosen splits, resized to `storedSize` (fill, antialiased, as the loaders' full-frame path), raw
// uint8 or JPEG, in fixed-size shards. Resumable: shards are committed one by one (temporary name, fsync,
// rename, then the manifest), so an interrupted run continues after its last committed shard.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type ClipFailureKind, DatasetError, isClipLoadError } from '@adatosk/core';
import type { ClipEntry, FileClipDataset } from '../file/clip-dataset.js';
import { inProcessExecutor } from '../work/in-process.js';
import type { ClipExecutor, EncodeWork } from '../work/types.js';
import { writeFileAtomic } from './atomic.js';
import {
  CACHE_FORMAT,
  CACHE_VERSION,
  MANIFEST_FILE,
  SHARD_DIR,
  type CacheFrameFormat,
  type CacheIdentity,
  type CacheManifest,
  type CachedClip,
  type CachedSplit,
} from './format.js';
import { canonical, identityDifferences, readManifest } from './manifest.js';
import { ShardWriter } from './shard-writer.js';
import { type SourceRecord, recordFile, recordFrames, recordVideo, sourceChange } from './fingerprint.js';
import { checkShard } from './shards.js';
import { type SplitSelection, openSplitForCache, splitRequests } from './splits.js';

export interface PrepareCacheOptions extends SplitSelection {
  /** Registry name: dfew, ferv39k, mafw, folder, list. */
  dataset: string;
  root: string;
  /** Cache folder (created). */
  out: string;
  /** Loader options that decide which clips and labels are read (source, labels, captions, classOrder, classes). */
  options?: Record<string, unknown>;
  /** Training frame size (default 160). */
  size?: number;
  /** Stored frame size (default: `size`). */
  storedSize?: number;
  /** `raw` (default: uint8 RGB, fastest to read) or `jpeg` (about 10x smaller). */
  format?: CacheFrameFormat;
  /** JPEG quality (default 90). */
  quality?: number;
  /** Target shard size in bytes (default 256 MiB). */
  shardBytes?: number;
  /** Where frames are decoded and encoded (default: the calling thread; pass a ClipWorkerPool to use every core). */
  executor?: ClipExecutor;
  /** Clips in flight (default: the executor's capacity, else 4). */
  concurrency?: number;
  /** Rebuild even when a cache made with other options (or from a changed source) is in `out`. */
  force?: boolean;
  /** Stops after the clip being committed, leaving the current shard unfinished (as a crash would). */
  signal?: AbortSignal;
  onProgress?: (p: PrepareProgress) => void;
}

export interface PrepareProgress {
  done: number;
  total: number;
  skipped: number;
  shards: number;
}

export interface SkippedClip {
  id: string;
  kind: ClipFailureKind;
  message: string;
}

export interface PrepareCacheResult {
  dir: string;
  complete: boolean;
  /** Clips found already committed by an earlier run. */
  reused: number;
  /** Clips read in this run. */
  encoded: number;
  total: number;
  /** Clips that failed to decode (all runs), by id. */
  skipped: SkippedClip[];
  shards: number;
  bytes: number;
  frames: number;
  seconds: number;
}

const DEFAULT_SHARD_BYTES = 256 * 2 ** 20;

interface ClipSource {
  ds: FileClipDataset;
  index: number;
  entry: ClipEntry;
}

/** Reads the requested splits: the unique clips (first-seen order), the splits' clip lists and labels, the classes. */
async function collect(o: PrepareCacheOptions, root: string, identity: CacheIdentity) {
  const clips: CachedClip[] = [];
  const sources: ClipSource[] = [];
  const byId = new Map<string, number>();
  const splits: Record<string, CachedSplit> = {};
  let classes: string[] | undefined;
  for (const request of splitRequests(o.dataset, o)) {
    // Video clips are decoded at the stored size; read options do not change which clips are read.
    const ds = await openSplitForCache(o.dataset, root, request, { ...o.options, size: identity.storedSize });
    if (!classes) classes = [...ds.classes];
    else if (classes.join('\n') !== ds.classes.join('\n'))
      throw new DatasetError(`${ds.name}: its classes differ from the other splits' (${ds.classes.join(', ')} vs ${classes.join(', ')})`);
    const split: CachedSplit = { name: ds.name, clips: [], labels: [], stride: ds.options.stride };
    const origin = ds.entries.find((e) => e.origin)?.origin?.file;
    if (origin) split.file = await recordFile(origin);
    else {
      // No split file (class-per-folder datasets): the folders that list the clips stand for it.
      const parents = new Set(ds.entries.map((e) => dirname(e.frameDir ?? e.videoFiles?.[0] ?? '')).filter(Boolean));
      split.folders = await Promise.all([...parents].sort().map((p) => recordFile(p)));
    }
    ds.entries.forEach((entry, index) => {
      let k = byId.get(entry.id);
      if (k === undefined) {
        byId.set(entry.id, (k = clips.length));
        clips.push({ id: entry.id, source: { kind: 'absent', paths: [] } });
        sources.push({ ds, index, entry });
      }
      split.clips.push(k);
      split.labels.push(entry.label);
    });
    splits[request.key] = split;
  }
  return { clips, sources, splits, classes: classes ?? [] };
}

/** Resumes from `m` if it matches: keeps the shards that check out, returns the clips to redo from. */
async function resumable(
  dir: string,
  m: CacheManifest,
  identity: CacheIdentity,
  clips: CachedClip[],
  splits: Record<string, CachedSplit>,
): Promise<string | undefined> {
  const diff = identityDifferences(m.identity, identity);
  if (diff.length) return `it was prepared with other options: ${diff.join('; ')}`;
  if (m.clips.length !== clips.length || m.clips.some((c, k) => c.id !== clips[k]!.id))
    return 'its clip list differs from the dataset now (split files changed)';
  for (const [key, s] of Object.entries(splits)) {
    const was = m.splits[key];
    if (
      !was ||
      was.labels.join(',') !== s.labels.join(',') ||
      JSON.stringify(was.file) !== JSON.stringify(s.file) ||
      JSON.stringify(was.folders) !== JSON.stringify(s.folders)
    ) {
      return `split ${key} changed since (${s.file?.path ?? 'its clips or labels'})`;
    }
  }
  // Drop shards from the first one that does not check out (missing, truncated, corrupt table).
  for (let k = 0; k < m.shards.length; k++) {
    if ((await checkShard(dir, m.shards[k]!)) !== undefined) {
      const first = m.shards[k]!.clips[0];
      m.shards = m.shards.slice(0, k);
      m.committed = first;
      for (const c of m.clips.slice(first)) {
        delete c.shard;
        delete c.first;
        delete c.frames;
        delete c.failed;
      }
      m.complete = false;
      break;
    }
  }
  for (const c of m.clips.slice(0, m.committed)) {
    const change = await sourceChange(c.source, 'quick');
    if (change) return `its source changed since: ${change}`;
  }
  return undefined;
}

/** Deletes files under shards/ that the manifest does not list (temporary files and uncommitted shards). */
async function removeStrays(dir: string, m: CacheManifest): Promise<void> {
  const keep = new Set(m.shards.map((s) => s.file.slice(SHARD_DIR.length + 1)));
  let names: string[] = [];
  try {
    names = await readdir(join(dir, SHARD_DIR));
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => !keep.has(n)).map((n) => rm(join(dir, SHARD_DIR, n), { force: true })));
}

async function fingerprint(entry: ClipEntry, used: { kind: 'frames' | 'video'; path: string } | undefined): Promise<SourceRecord> {
  if (used?.kind === 'frames') return recordFrames(used.path);
  if (used?.kind === 'video') return recordVideo(used.path);
  return { kind: 'absent', paths: [entry.frameDir, ...(entry.videoFiles ?? [])].filter((p): p is string => Boolean(p)) };
}

type Encoded =
  | { ok: true; source: SourceRecord; payloads: Uint8Array[]; crcs: number[] }
  | { ok: false; source: SourceRecord; kind: ClipFailureKind; message: string };

async function encodeClip(src: ClipSource, identity: CacheIdentity, executor: ClipExecutor): Promise<Encoded> {
  const { entry } = src;
  let used: { kind: 'frames' | 'video'; path: string } | undefined;
  try {
    const resolved = await src.ds.resolve(src.index);
    used = resolved.kind === 'frames' ? { kind: 'frames', path: entry.frameDir! } : { kind: 'video', path: resolved.file };
    // Recorded before reading: a change while reading shows as a change later.
    const source = await fingerprint(entry, used);
    const work: EncodeWork = {
      id: entry.id,
      source:
        resolved.kind === 'frames'
          ? { kind: 'files', paths: resolved.files }
          : {
              kind: 'pixels',
              frames: resolved.frames.map((f) => f.data),
              width: resolved.frames[0]!.width,
              height: resolved.frames[0]!.height,
            },
      size: identity.storedSize,
      format: identity.format,
      quality: identity.quality ?? 90,
    };
    const { payloads, crcs } = await executor.encode(work);
    return { ok: true, source, payloads, crcs };
  } catch (error) {
    if (!isClipLoadError(error)) throw error;
    return {
      ok: false,
      source: await fingerprint(entry, used).catch(() => fingerprint(entry, undefined)),
      kind: error.kind,
      message: error.message,
    };
  }
}

/** Prepares (or resumes, or completes) a frame cache. */
export async function prepareCache(o: PrepareCacheOptions): Promise<PrepareCacheResult> {
  const t0 = performance.now();
  const dir = resolve(o.out);
  const root = resolve(o.root);
  const size = o.size ?? 160;
  const storedSize = o.storedSize ?? size;
  const format = o.format ?? 'raw';
  if (!(Number.isInteger(size) && size > 1)) throw new RangeError(`size must be an integer > 1, got ${size}`);
  if (!(Number.isInteger(storedSize) && storedSize >= size))
    throw new RangeError(`storedSize must be an integer >= size (${size}), got ${storedSize}`);
  if (format !== 'raw' && format !== 'jpeg') throw new RangeError(`format must be 'raw' or 'jpeg', got '${String(format)}'`);
  const quality = format === 'jpeg' ? (o.quality ?? 90) : undefined;
  if (quality !== undefined && !(Number.isInteger(quality) && quality >= 1 && quality <= 100))
    throw new RangeError(`quality must be 1..100, got ${quality}`);
  const shardBytes = o.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!(shardBytes > 0 && shardBytes < 2 ** 32 - 2 ** 26))
    throw new RangeError(`shardBytes must be between 1 and 4 GiB - 64 MiB, got ${shardBytes}`);
  const identity: CacheIdentity = {
    dataset: o.dataset,
    root,
    options: canonical(o.options ?? {}) as Record<string, unknown>,
    splits: splitRequests(o.dataset, o).map((r) => r.key),
    size,
    storedSize,
    format,
    ...(quality !== undefined ? { quality } : {}),
  };
  const { clips, sources, splits, classes } = await collect(o, root, identity);

  let m = o.force ? undefined : await readManifest(dir);
  let reused = 0;
  if (m) {
    const why = await resumable(dir, m, identity, clips, splits);
    if (why)
      throw new DatasetError(
        `${dir} already holds a frame cache, but ${why}. Pass --force (force: true) to rebuild it, or choose another --out folder.`,
      );
    reused = m.committed;
  } else {
    if (o.force) await rm(dir, { recursive: true, force: true });
    const now = new Date().toISOString();
    m = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      identity,
      complete: false,
      created: now,
      updated: now,
      classes,
      splits,
      clips,
      committed: 0,
      shardBytes,
      shards: [],
    };
  }
  const manifest = m;
  await mkdir(join(dir, SHARD_DIR), { recursive: true });
  await removeStrays(dir, manifest);
  const save = async () => {
    manifest.updated = new Date().toISOString();
    await writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  };
  if (manifest.shards.length === 0 && manifest.committed === 0) await save();

  const executor = o.executor ?? inProcessExecutor;
  const concurrency = Math.max(1, o.concurrency ?? (executor as { capacity?: number }).capacity ?? 4);
  const total = clips.length;
  let writer = new ShardWriter(dir, manifest.shards.length);
  writer.firstClip = manifest.committed;
  const finishShard = async (end: number) => {
    const { bytes, tableCrc } = await writer.finish();
    manifest.shards.push({ file: writer.name, bytes, frames: writer.frames.length, tableCrc, clips: [writer.firstClip, end] });
    manifest.committed = end;
    await save();
    writer = new ShardWriter(dir, manifest.shards.length);
    writer.firstClip = end;
  };

  const inflight: Promise<Encoded>[] = [];
  let next = manifest.committed; // next clip to start
  let k = manifest.committed; // next clip to commit (results arrive in clip order)
  let encoded = 0;
  let skipped = manifest.clips.slice(0, k).filter((c) => c.failed).length;
  let aborted = false;
  try {
    while (k < total) {
      while (inflight.length < concurrency && next < total) {
        const p = encodeClip(sources[next]!, identity, executor);
        p.catch(() => {}); // awaited below; an abort or a failure must not leave it unhandled
        inflight.push(p);
        next++;
      }
      const r = await inflight.shift()!;
      const clip = manifest.clips[k]!;
      clip.source = r.source;
      if (!r.ok) {
        clip.failed = { kind: r.kind, message: r.message };
        skipped++;
      } else {
        const bytes = r.payloads.reduce((s, p) => s + p.length, 0);
        if (writer.frames.length > 0 && writer.bytes + bytes > shardBytes) await finishShard(k);
        clip.first = await writer.append(r.payloads, r.crcs);
        clip.shard = manifest.shards.length;
        clip.frames = r.payloads.length;
      }
      k++;
      encoded++;
      o.onProgress?.({ done: k, total, skipped, shards: manifest.shards.length });
      if (o.signal?.aborted && k < total) {
        aborted = true;
        await Promise.allSettled(inflight.splice(0));
        break;
      }
    }
    if (aborted) await writer.abandon();
    else {
      if (writer.frames.length > 0) await finishShard(total);
      manifest.committed = total;
      manifest.complete = true;
      await save();
    }
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  const bytes = (await Promise.all(manifest.shards.map((s) => stat(join(dir, s.file)).then((x) => x.size)))).reduce((a, b) => a + b, 0);
  return {
    dir,
    complete: manifest.complete,
    reused,
    encoded,
    total,
    skipped: manifest.clips.flatMap((c) => (c.failed ? [{ id: c.id, ...c.failed }] : [])),
    shards: manifest.shards.length,
    bytes,
    frames: manifest.shards.reduce((s, x) => s + x.frames, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
