// Video clips (DFEW Clip/original mp4, clip_224x224_avi, MAFW data/clips): decoded to raw RGB frames by
// spawning ffmpeg. Frames are scaled to a square working size while decoding, which keeps memory
// bounded for long, large originals. ffmpeg is optional (a 66 MB download): image-frame datasets and
// the synthetic quick start never ask for it.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { ClipLoadError } from '@adatosk/core';
import type { RawImage } from './bmp.js';

/** The npm package that brings an ffmpeg binary (an optional peer dependency of @adatosk/datasets). */
export const FFMPEG_PACKAGE = '@ffmpeg-installer/ffmpeg';

/** Where `findFfmpeg` looks (injectable for tests). */
export interface FfmpegLookup {
  /** Environment to read `ADATOSK_FFMPEG` and `PATH` from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Loads the installer package (default: dynamic import of `@ffmpeg-installer/ffmpeg`). */
  loadInstaller?: () => Promise<unknown>;
  /** Whether a file exists (default fs.existsSync). */
  exists?: (file: string) => boolean;
  /** Platform, for the executable name on PATH (default process.platform). */
  platform?: string;
}

// A variable specifier: bundlers and tsup leave the optional package alone when it is not installed.
const installerPackage: string = FFMPEG_PACKAGE;

/**
 * The ffmpeg binary: `$ADATOSK_FFMPEG`, else the one `@ffmpeg-installer/ffmpeg` brings, else `ffmpeg`
 * on PATH. Throws a message naming the package to install when there is none.
 */
export async function findFfmpeg(lookup: FfmpegLookup = {}): Promise<string> {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  if (env.ADATOSK_FFMPEG) return env.ADATOSK_FFMPEG;
  let installerError: string;
  try {
    const mod = (await (lookup.loadInstaller ?? (() => import(/* @vite-ignore */ installerPackage)))()) as {
      path?: string;
      default?: { path?: string };
    };
    const path = mod.path ?? mod.default?.path;
    if (!path) throw new Error('it exports no path');
    if (!exists(path)) throw new Error(`its binary ${path} is missing (reinstall it)`);
    return path;
  } catch (error) {
    installerError = (error as Error).message;
  }
  const exe = (lookup.platform ?? process.platform) === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && exists(join(dir, exe))) return join(dir, exe);
  }
  throw new Error(
    `Decoding video needs ffmpeg, which is optional: npm install ${FFMPEG_PACKAGE} ` +
      `(or put ffmpeg on PATH, or set ADATOSK_FFMPEG to its path). (${FFMPEG_PACKAGE}: ${installerError})`,
  );
}

let ffmpegPath: Promise<string> | undefined;

/** `findFfmpeg()` once per process (imported lazily, so a missing binary never breaks import). */
export function resolveFfmpeg(): Promise<string> {
  ffmpegPath ??= findFfmpeg();
  return ffmpegPath;
}

/** Decodes every frame of `file` to `size` x `size` RGB. Undecodable input: ClipLoadError('decode'). */
export async function decodeVideo(file: string, clipId: string, size: number): Promise<RawImage[]> {
  const ffmpeg = await resolveFfmpeg();
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-an',
    '-vf',
    `scale=${size}:${size}:flags=bilinear`,
    '-vsync',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
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
    throw new ClipLoadError(
      clipId,
      'decode',
      `ffmpeg could not decode ${file} (exit ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ', no frames'})`,
    );
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
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-r',
    String(fps),
    '-i',
    'pipe:0',
    ...codec,
    file,
  ];
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
