// What a cache was made from, per clip and per split file (paths, sizes, modification times), and the
// checks that tell when the source changed since. `quick` looks at split files, clip folders and videos
// (a folder's time changes when frames are added, removed or renamed); `full` also at every frame file.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../io/crc32.js';
import { sortFrameNames } from '../io/frames.js';

export interface FileRecord {
  path: string;
  bytes: number;
  mtimeMs: number;
}

export type SourceRecord =
  /** A frame folder: its own modification time, and a digest of every frame's name, size and time. */
  | { kind: 'frames'; dir: string; dirMtimeMs: number; files: number; bytes: number; digest: string }
  | { kind: 'video'; file: string; bytes: number; mtimeMs: number }
  /** Nothing was found at these paths (the clip was skipped). */
  | { kind: 'absent'; paths: string[] };

export type VerifyLevel = 'none' | 'quick' | 'full';

export async function recordFile(path: string): Promise<FileRecord> {
  const s = await stat(path);
  return { path, bytes: s.size, mtimeMs: s.mtimeMs };
}

const IMAGE_RE = /\.(jpe?g|png|bmp)$/i;

/** Frame files of a folder (images only, in frame order) with their sizes and times. */
async function frameStats(dir: string): Promise<{ names: string[]; bytes: number; digest: string }> {
  const names = sortFrameNames((await readdir(dir)).filter((n) => IMAGE_RE.test(n)));
  const stats = await Promise.all(names.map((n) => stat(join(dir, n))));
  const lines = names.map((n, k) => `${n}\t${stats[k]!.size}\t${stats[k]!.mtimeMs}\n`).join('');
  return { names, bytes: stats.reduce((s, x) => s + x.size, 0), digest: crc32(lines).toString(16).padStart(8, '0') };
}

export async function recordFrames(dir: string): Promise<SourceRecord> {
  const [d, f] = await Promise.all([stat(dir), frameStats(dir)]);
  return { kind: 'frames', dir, dirMtimeMs: d.mtimeMs, files: f.names.length, bytes: f.bytes, digest: f.digest };
}

export async function recordVideo(file: string): Promise<SourceRecord> {
  const r = await recordFile(file);
  return { kind: 'video', file, bytes: r.bytes, mtimeMs: r.mtimeMs };
}

const when = (ms: number) => new Date(ms).toISOString();

/** How a file differs from its record, or undefined. */
export async function fileChange(r: FileRecord): Promise<string | undefined> {
  let s;
  try {
    s = await stat(r.path);
  } catch {
    return `${r.path} is gone`;
  }
  if (s.size !== r.bytes || s.mtimeMs !== r.mtimeMs) {
    return `${r.path} changed (${r.bytes} bytes, modified ${when(r.mtimeMs)} when cached; now ${s.size} bytes, modified ${when(s.mtimeMs)})`;
  }
  return undefined;
}

/** How a clip's source differs from its record at `level`, or undefined. */
export async function sourceChange(r: SourceRecord, level: Exclude<VerifyLevel, 'none'>): Promise<string | undefined> {
  if (r.kind === 'video') return fileChange({ path: r.file, bytes: r.bytes, mtimeMs: r.mtimeMs });
  if (r.kind === 'absent') {
    for (const p of r.paths) {
      try {
        await stat(p);
        return `${p} exists now (it was missing when the cache was made)`;
      } catch {
        // still absent
      }
    }
    return undefined;
  }
  let d;
  try {
    d = await stat(r.dir);
  } catch {
    return `frame folder ${r.dir} is gone`;
  }
  if (d.mtimeMs !== r.dirMtimeMs) return `frame folder ${r.dir} changed (frames added, removed or renamed since ${when(r.dirMtimeMs)})`;
  if (level === 'full') {
    const f = await frameStats(r.dir);
    if (f.names.length !== r.files || f.bytes !== r.bytes || f.digest !== r.digest) {
      return `frames in ${r.dir} changed (${r.files} files, ${r.bytes} bytes when cached; now ${f.names.length} files, ${f.bytes} bytes)`;
    }
  }
  return undefined;
}
