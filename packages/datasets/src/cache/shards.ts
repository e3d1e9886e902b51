// Reading and checking shard files: size, footer and frame table (cheap, at open), every frame's
// checksum (`verifyCache`).
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { FOOTER_BYTES, type CachedShard, type ShardTable, decodeShardFooter, decodeShardTable } from './format.js';

/** Reads and checks a shard's frame table; returns the table, or what is wrong with the shard. */
export async function readShardTable(dir: string, shard: CachedShard): Promise<ShardTable | string> {
  const path = join(dir, shard.file);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return 'is missing';
  }
  try {
    const { size } = await fh.stat();
    if (size !== shard.bytes)
      return `is ${size < shard.bytes ? 'truncated' : 'longer than recorded'} (${size} bytes, ${shard.bytes} expected)`;
    if (size < FOOTER_BYTES) return 'is too short to hold a footer';
    const footer = new Uint8Array(FOOTER_BYTES);
    await fh.read(footer, 0, FOOTER_BYTES, size - FOOTER_BYTES);
    const f = decodeShardFooter(footer, size);
    if (typeof f === 'string') return f;
    if (f.frames !== shard.frames || f.tableCrc !== shard.tableCrc) return 'does not match the manifest (frame count or table checksum)';
    const table = new Uint8Array(size - FOOTER_BYTES - f.tableOffset);
    await fh.read(table, 0, table.length, f.tableOffset);
    return decodeShardTable(table, f.frames, f.tableCrc);
  } finally {
    await fh.close();
  }
}

/** What is wrong with a shard (missing, truncated, corrupt table), or undefined. */
export async function checkShard(dir: string, shard: CachedShard): Promise<string | undefined> {
  const r = await readShardTable(dir, shard);
  return typeof r === 'string' ? r : undefined;
}
