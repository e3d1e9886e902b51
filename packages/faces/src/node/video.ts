// Decoded video frames at their own size, streamed from ffmpeg one at a time (a long video never sits in
// memory). ffmpeg writes PPM images, whose headers carry each frame's size, so rotated phone videos and
// odd sizes need no guessing.
import { spawn } from 'node:child_process';
import type { RawImage } from '../types.js';

export interface VideoFrame extends RawImage {
  /** Frame number from 0. */
  index: number;
  /** Seconds from the start (index / fps). */
  time: number;
}

export interface VideoInfo {
  /** Frames per second from the container (25 when ffmpeg reports none). */
  fps: number;
  /** Seconds, when known. */
  duration?: number;
}

export interface ReadVideoOptions {
  /** Longest side of the frames given out, in pixels: larger videos are scaled down (default 1280). */
  maxSide?: number;
  /** ffmpeg binary (default: `resolveFfmpeg()` from @adatosk/datasets). */
  ffmpeg?: string;
  signal?: AbortSignal;
}

async function ffmpegPath(given?: string): Promise<string> {
  if (given) return given;
  const { resolveFfmpeg } = await import('@adatosk/datasets');
  return resolveFfmpeg();
}

/** Frame rate and duration as ffmpeg reports them for `file`. */
export async function probeVideo(file: string, options: { ffmpeg?: string } = {}): Promise<VideoInfo> {
  const ffmpeg = await ffmpegPath(options.ffmpeg);
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => reject(new Error(`cannot run ffmpeg on '${file}': ${e.message}`)));
    child.on('close', () => resolve(err));
  });
  const stream = text.split('\n').find((l) => /Stream #.*Video:/.test(l));
  if (!stream) {
    const reason = text.trim().split('\n').slice(-1)[0] ?? 'no output';
    throw new Error(`'${file}' has no video stream ffmpeg can read (${reason.trim()})`);
  }
  const fps = Number(/([\d.]+) fps/.exec(stream)?.[1] ?? /([\d.]+) tbr/.exec(stream)?.[1]);
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(text);
  return {
    fps: fps > 0 && Number.isFinite(fps) ? fps : 25,
    ...(d ? { duration: Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) } : {}),
  };
}

/** Reads one PPM (P6, maxval 255) header at `buf[at]`: returns its size and where the pixels start, or undefined if incomplete. */
function ppmHeader(buf: Buffer, at: number): { width: number; height: number; start: number } | undefined {
  const fields: number[] = [];
  let i = at;
  if (buf.length < at + 2) return undefined;
  if (buf[i] !== 0x50 || buf[i + 1] !== 0x36) throw new Error(`ffmpeg wrote something other than a PPM frame (byte ${at})`);
  i += 2;
  while (fields.length < 3) {
    while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
    if (i < buf.length && buf[i] === 0x23) {
      while (i < buf.length && buf[i] !== 0x0a) i++; // a comment
      continue;
    }
    const from = i;
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
    if (i >= buf.length) return undefined;
    fields.push(Number(buf.toString('latin1', from, i)));
  }
  if (fields[2] !== 255) throw new Error(`ffmpeg wrote a PPM frame with maxval ${fields[2]}, expected 255`);
  return { width: fields[0], height: fields[1], start: i + 1 };
}

/**
 * Every frame of `file` as RGB bytes, in order, scaled down to `maxSide` if larger. Frames are produced as
 * they are read: stop iterating (or abort) and ffmpeg is stopped.
 */
export async function* readVideoFrames(file: string, options: ReadVideoOptions = {}): AsyncGenerator<VideoFrame> {
  const ffmpeg = await ffmpegPath(options.ffmpeg);
  const { fps } = await probeVideo(file, { ffmpeg });
  const maxSide = options.maxSide ?? 1280;
  const scale = `scale=w='min(iw,${maxSide})':h='min(ih,${maxSide})':force_original_aspect_ratio=decrease`;
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-an',
    '-vf',
    scale,
    '-vsync',
    'passthrough',
    '-f',
    'image2pipe',
    '-c:v',
    'ppm',
    'pipe:1',
  ];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += c.toString();
  });
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const failed = new Promise<never>((_, reject) =>
    child.on('error', (e) => reject(new Error(`cannot run ffmpeg on '${file}': ${e.message}`))),
  );
  failed.catch(() => undefined);
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Each frame's pixels are copied once, straight from ffmpeg's chunks into the frame's own array.
  let header: Buffer = Buffer.alloc(0);
  let frame: { data: Uint8Array; width: number; height: number; filled: number } | undefined;
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        if (!frame) {
          header = header.length === 0 ? chunk.subarray(at) : Buffer.concat([header, chunk.subarray(at)]);
          const h = ppmHeader(header, 0);
          if (!h) {
            at = chunk.length;
            break;
          }
          // Bytes of this chunk the header used (the rest of `header` came from earlier chunks).
          at = chunk.length - (header.length - h.start);
          header = Buffer.alloc(0);
          frame = { data: new Uint8Array(h.width * h.height * 3), width: h.width, height: h.height, filled: 0 };
        }
        const take = Math.min(frame.data.length - frame.filled, chunk.length - at);
        frame.data.set(chunk.subarray(at, at + take), frame.filled);
        frame.filled += take;
        at += take;
        if (frame.filled === frame.data.length) {
          yield { data: frame.data, width: frame.width, height: frame.height, index, time: index / fps };
          index++;
          frame = undefined;
        }
      }
    }
    const code = await Promise.race([exit, failed]);
    if (options.signal?.aborted) return;
    if (code !== 0 || index === 0) {
      throw new Error(
        `ffmpeg could not decode '${file}' (exit ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : index === 0 ? ', no frames' : ''})`,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
