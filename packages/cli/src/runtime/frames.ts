// The frames of a predict input: a video file (ffmpeg) or a folder of frame images (sharp), at their own
// size, streamed; opened twice when a second pass is needed.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { probeVideo, readFrameFolder, readVideoFrames, type VideoFrame } from '@adatosk/faces/node';
import { CliError } from '../errors.js';

export const VIDEO_EXTENSIONS = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg', '.wmv', '.flv']);

export interface FrameSource {
  kind: 'video' | 'frames';
  fps: number;
  /** A fresh pass over the frames, in order. */
  frames(): AsyncGenerator<VideoFrame>;
}

export interface OpenFramesOptions {
  /** Frame rate of a frame folder (default 25); a video's own rate is used for videos. */
  fps?: number;
  /** Longest frame side used (larger frames are scaled down; default 1280). */
  maxSide?: number;
}

/** Opens `path` as a video or a frame folder, or says why it cannot. */
export async function openFrames(path: string, options: OpenFramesOptions = {}): Promise<FrameSource> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new CliError(`input '${path}' does not exist; pass a video file or a folder of frames`, 2);
  const maxSide = options.maxSide;
  if (s.isDirectory()) {
    const fps = options.fps ?? 25;
    return { kind: 'frames', fps, frames: () => wrap(path, readFrameFolder(path, { fps, maxSide })) };
  }
  if (!VIDEO_EXTENSIONS.has(extname(path).toLowerCase())) {
    throw new CliError(`input '${path}' is neither a folder of frames nor a video (${[...VIDEO_EXTENSIONS].join(', ')})`, 2);
  }
  let fps: number;
  try {
    ({ fps } = await probeVideo(path));
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  return { kind: 'video', fps, frames: () => wrap(path, readVideoFrames(path, { maxSide })) };
}

/** Reader errors (an undecodable file, an unreadable frame) become CLI errors naming the input. */
async function* wrap(path: string, frames: AsyncGenerator<VideoFrame>): AsyncGenerator<VideoFrame> {
  try {
    yield* frames;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${(e as Error).message}`, 1);
  }
}
