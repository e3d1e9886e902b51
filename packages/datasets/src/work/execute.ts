// Executes clip work in the calling thread (a worker thread, or the main thread): reads and decodes frames,
// runs the augmentation kernel into the target, or re-encodes frames for a cache. Node only (fs, sharp,
// zlib). Imports nothing from @adatosk/core, so worker threads start fast and stay small.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32 } from '../io/crc32.js';
import type { ClipFailureKind } from '@adatosk/core';
import { type FramePlan, augmentFrame, planFrame } from '../augment/kernel.js';
import { packPixels } from '../augment/pack.js';
import { decodeBmp } from '../io/bmp.js';
import { loadSharp } from '../io/sharp.js';
import type { ClipWork, EncodeWork, EncodedClip, FrameSource, ShardFrame } from './types.js';
import { workOutputLength } from './types.js';

/** A clip cannot be loaded; becomes a ClipLoadError (skipped and counted) on the main thread. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly kind: ClipFailureKind,
    message: string,
  ) {
    super(message);
  }
}

interface Decoded {
  data: Uint8Array;
  width: number;
  height: number;
}

// Open shard files, reused across clips (a worker reads many clips from few shards). Bounded.
const shardFiles = new Map<string, { fd: number; size: number }>();
// Frames whose checksum this thread has checked, per shard (one bit each): later epochs skip the CRC.
const checked = new Map<string, Uint8Array>();
const MAX_OPEN_SHARDS = 32;

function openShard(file: string): { fd: number; size: number } {
  let entry = shardFiles.get(file);
  if (entry) {
    shardFiles.delete(file);
    shardFiles.set(file, entry); // most recently used last
    return entry;
  }
  const fd = openSync(file, 'r');
  entry = { fd, size: fstatSync(fd).size };
  shardFiles.set(file, entry);
  if (shardFiles.size > MAX_OPEN_SHARDS) {
    const [oldest, old] = shardFiles.entries().next().value as [string, { fd: number }];
    shardFiles.delete(oldest);
    closeSync(old.fd);
  }
  return entry;
}

/** Closes the shard files this thread holds open (tests; a worker's files close with it). */
export function closeShardFiles(): void {
  for (const { fd } of shardFiles.values()) closeSync(fd);
  shardFiles.clear();
  checked.clear();
}

/**
 * Reads one frame payload from a shard (positioned, synchronous: page-cache reads) and checks its CRC-32,
 * the first time this thread reads that frame when the frame's table index is known, else every time.
 */
export function readShardFrame(file: string, frame: ShardFrame, clipId: string, shardFrames?: number): Uint8Array {
  const shard = openShard(file);
  if (frame.offset + frame.length > shard.size) {
    throw new FrameError(
      'unreadable',
      `clip ${clipId}: cache shard ${file} is truncated (${shard.size} bytes, the frame ends at ${frame.offset + frame.length}); run \`adatosk datasets prepare\` again to rebuild it`,
    );
  }
  const out = new Uint8Array(frame.length);
  let done = 0;
  while (done < frame.length) {
    const n = readSync(shard.fd, out, done, frame.length - done, frame.offset + done);
    if (n === 0) break;
    done += n;
  }
  if (done !== frame.length) {
    throw new FrameError(
      'unreadable',
      `clip ${clipId}: cache shard ${file} is truncated (short read at byte ${frame.offset}); run \`adatosk datasets prepare\` again to rebuild it`,
    );
  }
  const k = frame.index;
  let bits: Uint8Array | undefined;
  if (k !== undefined && shardFrames !== undefined && k < shardFrames) {
    bits = checked.get(file);
    if (!bits) checked.set(file, (bits = new Uint8Array(Math.ceil(shardFrames / 8))));
    if (bits[k >> 3]! & (1 << (k & 7))) return out;
  }
  if (crc32(out) !== frame.crc) {
    throw new FrameError(
      'unreadable',
      `clip ${clipId}: cache shard ${file} is corrupt (checksum mismatch in the frame at byte ${frame.offset}); run \`adatosk datasets prepare\` again to rebuild it`,
    );
  }
  if (bits) bits[k! >> 3] |= 1 << (k! & 7);
  return out;
}

async function decodeImage(bytes: Uint8Array, name: string): Promise<Decoded> {
  if (/\.bmp$/i.test(name)) {
    const image = decodeBmp(bytes, name);
    return { data: image.data, width: image.width, height: image.height };
  }
  const sharp = await loadSharp();
  // failOn 'warning' (the default) also rejects truncated JPEG/PNG instead of returning grey rows.
  const img = sharp(bytes, { failOn: 'warning' });
  let { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) ({ data, info } = await img.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true }));
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected RGB`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Scales a decoded frame with libvips (antialiased), for frames much larger than what the kernel samples. */
async function scaleImage(image: Decoded, width: number, height: number): Promise<Decoded> {
  const sharp = await loadSharp();
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

/** Decodes frame k of a source. */
async function decodeSourceFrame(source: FrameSource, k: number, clipId: string): Promise<Decoded> {
  if (source.kind === 'pixels') return { data: source.frames[k]!, width: source.width, height: source.height };
  if (source.kind === 'shard') {
    const payload = readShardFrame(source.file, source.frames[k]!, clipId, source.shardFrames);
    if (source.format === 'raw') {
      if (payload.length !== source.width * source.height * 3)
        throw new FrameError(
          'unreadable',
          `clip ${clipId}: cache frame in ${source.file} has ${payload.length} bytes, expected ${source.width}x${source.height}x3`,
        );
      return { data: payload, width: source.width, height: source.height };
    }
    try {
      return await decodeImage(payload, source.file);
    } catch (error) {
      throw new FrameError(
        'unreadable',
        `clip ${clipId}: cannot decode a JPEG frame of cache shard ${source.file} (${(error as Error).message})`,
      );
    }
  }
  const path = source.paths[k]!;
  try {
    return await decodeImage(await readFile(path), path);
  } catch (error) {
    throw new FrameError('unreadable', `clip ${clipId}: cannot decode ${path} (${(error as Error).message})`);
  }
}

/** The scaled size the crop needs from a full frame (what `decodeFrame` resizes to before extracting). */
function neededSize(work: ClipWork): { width: number; height: number } {
  const { size, crop } = work.augment;
  return { width: Math.max(size, Math.round(size / crop.w)), height: Math.max(size, Math.round(size / crop.h)) };
}

/** Frames decoded ahead of the one being resampled. */
const DECODE_AHEAD = 4;

/** Executes `work` into `target` (see `ClipExecutor.run`). Throws FrameError for a broken clip. */
export async function executeClipWork(work: ClipWork, target: Float32Array | Int32Array): Promise<void> {
  const expected = workOutputLength(work);
  if (target.length !== expected) throw new RangeError(`clip ${work.id}: target has ${target.length} values, the work writes ${expected}`);
  const uses = new Map<number, number[]>();
  work.order.forEach((k, t) => uses.set(k, [...(uses.get(k) ?? []), t]));
  if (work.output === 'packed') {
    if (!(target instanceof Int32Array)) throw new TypeError(`clip ${work.id}: packed output needs an Int32Array target`);
    for (const [k, ts] of uses) {
      const frame = await decodeSourceFrame(work.source, k, work.id);
      const pixels = frame.width * frame.height;
      for (const t of ts) packPixels(frame.data, target, t * pixels);
    }
    return;
  }
  if (!(target instanceof Float32Array)) throw new TypeError(`clip ${work.id}: float output needs a Float32Array target`);
  const S = work.augment.size;
  const frameLength = S * S * 3;
  const plans = new Map<string, FramePlan>();
  const need = neededSize(work);
  const decodeScaled = async (k: number): Promise<Decoded> => {
    const frame = await decodeSourceFrame(work.source, k, work.id);
    // Much larger than needed (e.g. full-HD frames): let libvips shrink it first, with antialiasing.
    return frame.width > 2 * need.width && frame.height > 2 * need.height ? scaleImage(frame, need.width, need.height) : frame;
  };
  // Decodes run ahead of the kernel (libvips works on the thread pool while this thread resamples).
  const keys = [...uses.keys()];
  const ahead: Promise<Decoded>[] = [];
  const start = (j: number) => {
    if (j >= keys.length) return;
    const p = decodeScaled(keys[j]!);
    p.catch(() => {}); // a frame decoded ahead may fail before it is awaited; it throws when awaited
    ahead[j] = p;
  };
  for (let j = 0; j < DECODE_AHEAD; j++) start(j);
  for (let j = 0; j < keys.length; j++) {
    const frame = await ahead[j]!;
    start(j + DECODE_AHEAD);
    const key = `${frame.width}x${frame.height}`;
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = planFrame(frame.width, frame.height, work.augment)));
    for (const t of uses.get(keys[j]!)!) augmentFrame(frame.data, plan, work.augment.color, work.normalize, target, t * frameLength);
  }
}

/** Decodes a clip's frames, resizes them to `size` x `size` (fill, antialiased, as the loaders' full-frame path) and encodes them for a cache. */
export async function executeEncodeWork(work: EncodeWork): Promise<EncodedClip> {
  const sharp = await loadSharp();
  const { size } = work;
  const n = work.source.kind === 'files' ? work.source.paths.length : work.source.frames.length;
  const payloads: Uint8Array[] = [];
  const crcs: number[] = [];
  for (let k = 0; k < n; k++) {
    const raw = await decodeResized(work.source, k, size, work.id);
    let payload: Uint8Array;
    // Copies into plain ArrayBuffers: they can be transferred from a worker (sharp's own buffers cannot).
    if (work.format === 'raw') payload = raw.slice();
    else {
      const jpeg = await sharp(raw, { raw: { width: size, height: size, channels: 3 } })
        .jpeg({ quality: work.quality })
        .toBuffer();
      payload = new Uint8Array(jpeg.buffer.slice(jpeg.byteOffset, jpeg.byteOffset + jpeg.length));
    }
    payloads.push(payload);
    crcs.push(crc32(payload));
  }
  return { payloads, crcs };
}

/** Frame k as `size` x `size` RGB: one libvips pipeline for image files (decode + resize), a resize for pixels. */
async function decodeResized(source: EncodeWork['source'], k: number, size: number, clipId: string): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let where = `frame ${k}`;
  try {
    let input: ReturnType<typeof sharp>;
    if (source.kind === 'pixels') {
      if (source.width === size && source.height === size) return source.frames[k]!;
      input = sharp(source.frames[k]!, { raw: { width: source.width, height: source.height, channels: 3 } });
    } else {
      const path = source.paths[k]!;
      where = path;
      const bytes = await readFile(path);
      if (/\.bmp$/i.test(path)) {
        const image = decodeBmp(bytes, path);
        input = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
      } else input = sharp(bytes, { failOn: 'warning' });
    }
    const resized = input.resize(size, size, { fit: 'fill', kernel: 'linear' });
    let { data, info } = await resized.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      ({ data, info } = await resized.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true }));
    if (info.channels !== 3 || data.length !== size * size * 3)
      throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    throw new FrameError(
      source.kind === 'pixels' ? 'decode' : 'unreadable',
      `clip ${clipId}: cannot decode ${where} (${(error as Error).message})`,
    );
  }
}
