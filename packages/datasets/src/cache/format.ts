// The frame cache on disk: `index.json` (what the cache was made from, its splits and clips, its shards) and
// `shards/shard-NNNNN.bin` files. A shard is the frames' payloads back to back, then a table of
// (offset, length, CRC-32) per frame, then a 32-byte footer that locates and checksums the table.
// Shards are written under a temporary name, fsynced and renamed, so a shard file that exists is complete.
import { crc32 } from '../io/crc32.js';
import type { ClipFailureKind } from '@adatosk/core';
import type { ShardFrame } from '../work/types.js';
import type { SourceRecord, FileRecord } from './fingerprint.js';

export const CACHE_FORMAT = 'adatosk-frame-cache';
export const CACHE_VERSION = 1;
export const MANIFEST_FILE = 'index.json';
export const SHARD_DIR = 'shards';
const FOOTER_MAGIC = 'ADTKSHD1';
export const FOOTER_BYTES = 32;
const TABLE_ENTRY_BYTES = 12;

export type CacheFrameFormat = 'raw' | 'jpeg';

/** Everything that decides the cache's content: a cache made with other values is refused. */
export interface CacheIdentity {
  /** Dataset registry name. */
  dataset: string;
  /** Absolute dataset root. */
  root: string;
  /** Dataset options that change which clips or labels are read (source, labels, classOrder, ...). */
  options: Record<string, unknown>;
  /** Split keys, e.g. `fold1/train` (DFEW, MAFW), `train` (FERV39K, folder), the list name (list). */
  splits: string[];
  /** Training frame size the cache is for. */
  size: number;
  /** Size the frames are stored at (>= size: the margin gives random resized crops more detail). */
  storedSize: number;
  format: CacheFrameFormat;
  /** JPEG quality (jpeg format only). */
  quality?: number;
}

export interface CachedSplit {
  /** The loader's dataset name, e.g. `dfew/fold1/train`. */
  name: string;
  /** Indices into `clips`, in the loader's order. */
  clips: number[];
  /** Labels, aligned with `clips`. */
  labels: number[];
  /** The split or list file it was read from. */
  file?: FileRecord;
  /** Without a split file (class-per-folder datasets): the folders holding the clips. */
  folders?: FileRecord[];
  /** The loader's default frame stride for this dataset (4; FERV39K 1). */
  stride: number;
}

export interface CachedClip {
  id: string;
  /** What the clip was read from when the cache was made. */
  source: SourceRecord;
  /** Where its frames are (absent for a clip that failed to decode). */
  shard?: number;
  /** Index of its first frame in the shard's table. */
  first?: number;
  /** Frame count. */
  frames?: number;
  /** Why the clip could not be cached (it is skipped when read, as the loaders skip it). */
  failed?: { kind: ClipFailureKind; message: string };
}

export interface CachedShard {
  file: string;
  bytes: number;
  frames: number;
  /** CRC-32 of the shard's frame table. */
  tableCrc: number;
  /** The clips committed with this shard, [first, end) (failed clips in that range included). */
  clips: [number, number];
}

export interface CacheManifest {
  format: typeof CACHE_FORMAT;
  version: number;
  identity: CacheIdentity;
  /** True once every clip is in a shard (or recorded as failed). */
  complete: boolean;
  created: string;
  updated: string;
  classes: string[];
  splits: Record<string, CachedSplit>;
  /** Every clip of every split, once; only the first `committed` have been written. */
  clips: CachedClip[];
  committed: number;
  shardBytes: number;
  shards: CachedShard[];
}

export const shardName = (k: number) => `${SHARD_DIR}/shard-${String(k).padStart(5, '0')}.bin`;

/** Table + footer appended after a shard's payloads. */
export function encodeShardTail(frames: ShardFrame[], tableOffset: number): { tail: Uint8Array; tableCrc: number } {
  const table = new Uint8Array(frames.length * TABLE_ENTRY_BYTES);
  const view = new DataView(table.buffer);
  frames.forEach((f, k) => {
    view.setUint32(k * TABLE_ENTRY_BYTES, f.offset, true);
    view.setUint32(k * TABLE_ENTRY_BYTES + 4, f.length, true);
    view.setUint32(k * TABLE_ENTRY_BYTES + 8, f.crc, true);
  });
  const tableCrc = crc32(table);
  const footer = new Uint8Array(FOOTER_BYTES);
  const fv = new DataView(footer.buffer);
  footer.set(new TextEncoder().encode(FOOTER_MAGIC), 0);
  fv.setUint32(8, CACHE_VERSION, true);
  fv.setUint32(12, frames.length, true);
  fv.setUint32(16, tableOffset, true);
  fv.setUint32(20, tableCrc, true);
  const tail = new Uint8Array(table.length + FOOTER_BYTES);
  tail.set(table, 0);
  tail.set(footer, table.length);
  return { tail, tableCrc };
}

/** Parses a shard's footer; returns what is wrong, or where the table is. */
export function decodeShardFooter(
  footer: Uint8Array,
  fileBytes: number,
): { frames: number; tableOffset: number; tableCrc: number } | string {
  if (footer.length !== FOOTER_BYTES) return 'too short to hold a footer';
  if (new TextDecoder().decode(footer.subarray(0, 8)) !== FOOTER_MAGIC) return 'has no shard footer (truncated or not a shard)';
  const v = new DataView(footer.buffer, footer.byteOffset, footer.byteLength);
  const frames = v.getUint32(12, true),
    tableOffset = v.getUint32(16, true),
    tableCrc = v.getUint32(20, true);
  if (tableOffset + frames * TABLE_ENTRY_BYTES + FOOTER_BYTES !== fileBytes) return 'has a footer that does not match its size';
  return { frames, tableOffset, tableCrc };
}

/** A shard's frame table as (offset, length, crc) triples. */
export type ShardTable = Uint32Array;

/** Parses a shard's frame table (after checking its CRC). */
export function decodeShardTable(table: Uint8Array, frames: number, tableCrc: number): ShardTable | string {
  if (table.length !== frames * TABLE_ENTRY_BYTES) return 'has a truncated frame table';
  if (crc32(table) !== tableCrc) return 'has a corrupt frame table (checksum mismatch)';
  const v = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const out = new Uint32Array(frames * 3);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint32(i * 4, true);
  return out;
}

/** Frame k of a table. */
export function shardFrame(table: ShardTable, k: number): ShardFrame {
  return { offset: table[k * 3]!, length: table[k * 3 + 1]!, crc: table[k * 3 + 2]!, index: k };
}
