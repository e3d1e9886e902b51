// Writes uint8 RGB frames to image files (jpg/png via sharp, bmp by hand).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadSharp } from '../io/sharp.js';
import { encodeBmp } from '../io/bmp.js';

export type FrameFormat = 'jpg' | 'png' | 'bmp';

export async function writeFrame(path: string, pixels: Uint8Array, width: number, height: number, format: FrameFormat): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (format === 'bmp') return writeFile(path, encodeBmp(pixels, width, height));
  const sharp = await loadSharp();
  const img = sharp(pixels, { raw: { width, height, channels: 3 } });
  await (format === 'png' ? img.png({ compressionLevel: 1 }) : img.jpeg({ quality: 90 })).toFile(path);
}
