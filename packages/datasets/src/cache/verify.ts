// Full check of a frame cache: every shard's size, footer and table, and every frame's CRC-32 (reads
// everything). Names the shard and the clips of each bad frame.
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { crc32 } from '../io/crc32.js';
import { DatasetError } from '@adatosk/core';
import { shardFrame } from './format.js';
import { readManifest } from './manifest.js';
import { readShardTable } from './shards.js';

export interface CacheProblem {
  shard: string;
  /** Clips with a bad frame in this shard (none when the whole shard is unreadable). */
  clips: string[];
  message: string;
}

export interface CacheVerifyReport {
  ok: boolean;
  complete: boolean;
  shards: number;
  frames: number;
  bytes: number;
  problems: CacheProblem[];
}

export async function verifyCache(dir: string, onProgress?: (shardsDone: number, shards: number) => void): Promise<CacheVerifyReport> {
  const abs = resolve(dir);
  const m = await readManifest(abs);
  if (!m) throw new DatasetError(`${abs} holds no frame cache`);
  const problems: CacheProblem[] = [];
  let frames = 0,
    bytes = 0;
  for (let s = 0; s < m.shards.length; s++) {
    const shard = m.shards[s]!;
    const path = join(abs, shard.file);
    const table = await readShardTable(abs, shard);
    if (typeof table === 'string') {
      problems.push({ shard: path, clips: [], message: `${path} ${table}` });
      continue;
    }
    // Which clip owns each frame, for naming bad ones.
    const owner: string[] = [];
    for (const c of m.clips) if (c.shard === s && c.frames) for (let k = 0; k < c.frames; k++) owner[c.first! + k] = c.id;
    const fh = await open(path, 'r');
    const bad = new Set<string>();
    let badFrames = 0;
    try {
      for (let k = 0; k < shard.frames; k++) {
        const f = shardFrame(table, k);
        const buf = new Uint8Array(f.length);
        await fh.read(buf, 0, f.length, f.offset);
        if (crc32(buf) !== f.crc) {
          badFrames++;
          bad.add(owner[k] ?? `frame ${k}`);
        }
        frames++;
        bytes += f.length;
      }
    } finally {
      await fh.close();
    }
    if (badFrames)
      problems.push({
        shard: path,
        clips: [...bad],
        message: `${path}: ${badFrames} corrupt frame${badFrames === 1 ? '' : 's'} (checksum mismatch) in clips ${[...bad].slice(0, 10).join(', ')}`,
      });
    onProgress?.(s + 1, m.shards.length);
  }
  return { ok: problems.length === 0 && m.complete, complete: m.complete, shards: m.shards.length, frames, bytes, problems };
}
