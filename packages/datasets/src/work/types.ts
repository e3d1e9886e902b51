// The CPU-heavy part of loading one clip, as plain data: which frames to decode, in which order, and the
// augmentation to apply. Datasets plan it on the main thread (cheap: listing, sampling, random draws);
// worker threads (or the main thread) execute it. Structured-cloneable; browser-safe types only.
import type { FrameAugment, Normalization } from '../augment/kernel.js';

/** One frame record in a cache shard: byte range and CRC-32 of its payload. */
export interface ShardFrame {
  offset: number;
  length: number;
  crc: number;
  /** Its index in the shard's table (a thread checks each frame's checksum the first time it reads it). */
  index?: number;
}

/** Where the distinct frames of a clip come from. */
export type FrameSource =
  /** Image files (jpg, png, bmp), decoded with sharp. */
  | { kind: 'files'; paths: string[] }
  /** Frames already decoded (e.g. by ffmpeg), `width` x `height` RGB each. */
  | { kind: 'pixels'; frames: Uint8Array[]; width: number; height: number }
  /** Payloads in a cache shard: raw `width` x `height` RGB, or JPEG. */
  | { kind: 'shard'; file: string; format: 'raw' | 'jpeg'; width: number; height: number; frames: ShardFrame[]; shardFrames?: number };

/** `float`: augmented, normalised [T,S,S,3] float32. `packed`: the source frames as-is, [T,H,W] int32 packed pixels (for `augmentOnDevice`). */
export type WorkOutput = 'float' | 'packed';

export interface ClipWork {
  /** Clip id, for messages. */
  id: string;
  source: FrameSource;
  /** For each of the T output frames, the index of its frame in `source` (frames repeat in short clips). */
  order: number[];
  augment: FrameAugment;
  normalize: Normalization;
  output: WorkOutput;
}

/** Decode and re-encode a clip's frames at a fixed square size (what `prepare` stores). */
export interface EncodeWork {
  id: string;
  source: Extract<FrameSource, { kind: 'files' | 'pixels' }>;
  size: number;
  format: 'raw' | 'jpeg';
  /** JPEG quality 1..100. */
  quality: number;
}

/** Encoded frames of one clip: payloads and their CRC-32s. */
export interface EncodedClip {
  payloads: Uint8Array[];
  crcs: number[];
}

/** Runs clip work somewhere (a worker pool, or the calling thread). */
export interface ClipExecutor {
  /** Writes the clip into `target` (length T*S*S*3 floats, or T*H*W int32 for `packed`). Rejects with ClipLoadError for a broken clip. */
  run(work: ClipWork, target: Float32Array | Int32Array): Promise<void>;
  encode(work: EncodeWork): Promise<EncodedClip>;
}

/** Length of a work's output buffer. */
export function workOutputLength(work: ClipWork): number {
  const T = work.order.length;
  if (work.output === 'float') return T * work.augment.size * work.augment.size * 3;
  if (work.source.kind === 'files')
    throw new RangeError(`clip ${work.id}: packed output needs frames of a known size (a cache), not image files`);
  return T * work.source.width * work.source.height;
}
