// Video clips (DFEW Clip/original mp4, clip_224x224_avi, MAFW data/clips): decoded to raw RGB frames by
// spawning ffmpeg (@ffmpeg-installer/ffmpeg, or $ADATOSK_FFMPEG). Frames are scaled to a square working
// size while decoding, which keeps memory bounded for long, large originals.
import { spawn } from 'node:child_process';
import { ClipLoadError } from '@adatosk/core';
import type { RawImage } from './bmp.js';

let ffmpegPath: Promise<string> | undefined;

/** ffmpeg binary: $ADATOSK_FFMPEG, else @ffmpeg-installer/ffmpeg (imported lazily, so a missing binary never breaks import). */
export function resolveFfmpeg(): Promise<string> {
  ffmpegPath ??= (async () => {
    if (process.env.ADATOSK_FFMPEG) return process.env.ADATOSK_FFMPEG;
    try {
      const mod = (await import('@ffmpeg-installer/ffmpeg')) as { path?: string; default?: { path: string } };
      const path = mod.path ?? mod.default?.path;
      if (!path) throw new Error('no path exported');
      return path;
    } catch (error) {
      throw new Error(`ffmpeg not found: install @ffmpeg-installer/ffmpeg or set ADATOSK_FFMPEG (${(error as Error).message})`);
    }
  })();
  return ffmpegPath;
}

/** Decodes every frame of `file` to `size` x `size` RGB. Undecodable input: ClipLoadError('decode'). */
export async function decodeVideo(file: string, clipId: string, size: number): Promise<RawImage[]> {
  const ffmpeg = await resolveFfmpeg();
  const args = ['-nostdin', '-v', 'error', '-i', file, '-an', '-vf', `scale=${size}:${size}:flags=bilinear`, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const chunks: Buffer[] = [];
  let stderr = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4000) stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  }).catch((error: Error) => {
    throw new ClipLoadError(clipId, 'decode', `cannot run ffmpeg on ${file}: ${error.message}`, { cause: error });
  });
  const data = Buffer.concat(chunks);
  const frameBytes = size * size * 3;
  const count = Math.floor(data.length / frameBytes);
  if (code !== 0 || count === 0) {
    throw new ClipLoadError(clipId, 'decode', `ffmpeg could not decode ${file} (exit ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ', no frames'})`);
  }
  return Array.from({ length: count }, (_, i) => ({
    data: new Uint8Array(data.buffer, data.byteOffset + i * frameBytes, frameBytes),
    width: size,
    height: size,
    channels: 3 as const,
  }));
}

/** Encodes uint8 RGB frames to an mp4 (H.264, yuv420p) or avi (mjpeg); used to write test layouts. */
export async function encodeVideo(file: string, frames: Uint8Array[], width: number, height: number, fps = 25): Promise<void> {
  const ffmpeg = await resolveFfmpeg();
  const codec = /\.avi$/i.test(file) ? ['-c:v', 'mjpeg', '-q:v', '3'] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  const args = ['-nostdin', '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0', ...codec, file];
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed to write ${file}: ${stderr.trim()}`))));
    for (const f of frames) child.stdin.write(f);
    child.stdin.end();
  });
}
