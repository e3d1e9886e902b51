// A folder of frame images read as a video: sorted by the last number in the file name (as the dataset
// loaders sort them), decoded at their own size with sharp, one at a time.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { VideoFrame } from './video.js';

const IMAGE = /\.(jpe?g|png|bmp|webp)$/i;

export interface ReadFolderOptions {
  /** Frame rate to give the frames times (default 25). */
  fps?: number;
  /** Longest side, as for videos (default 1280). */
  maxSide?: number;
}

/** Image files of `dir`, in frame order. */
export async function listFrameFiles(dir: string): Promise<string[]> {
  const { sortFrameNames } = await import('@adatosk/datasets');
  return sortFrameNames((await readdir(dir)).filter((n) => IMAGE.test(n))).map((n) => join(dir, n));
}

/** Decodes one image file to RGB bytes at its own size (scaled down to `maxSide`). */
export async function readImageFile(file: string, maxSide = 1280): Promise<{ data: Uint8Array; width: number; height: number }> {
  const sharp = (await import('sharp')).default;
  let img = sharp(file, { failOn: 'warning' }).rotate().removeAlpha().toColourspace('srgb');
  const meta = await sharp(file).metadata();
  if (Math.max(meta.width ?? 0, meta.height ?? 0) > maxSide) img = img.resize(maxSide, maxSide, { fit: 'inside' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`'${file}' decoded to ${info.channels} channels, expected RGB`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The folder's frames in order. An unreadable image throws, naming the file. */
export async function* readFrameFolder(dir: string, options: ReadFolderOptions = {}): AsyncGenerator<VideoFrame> {
  const files = await listFrameFiles(dir);
  if (files.length === 0) throw new Error(`'${dir}' holds no frame images (.jpg, .png, .bmp, .webp)`);
  const fps = options.fps ?? 25;
  for (let index = 0; index < files.length; index++) {
    let image: Awaited<ReturnType<typeof readImageFile>>;
    try {
      image = await readImageFile(files[index], options.maxSide);
    } catch (e) {
      throw new Error(`frame '${files[index]}' cannot be read: ${(e as Error).message}`);
    }
    yield { ...image, index, time: index / fps };
  }
}
