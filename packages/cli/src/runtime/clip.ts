// One clip from a path (a frame folder or a video file) or from the synthetic test split, as the model's input.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { IMAGENET_MEAN, IMAGENET_STD, type ClipSample } from '@adatosk/core';
import { resolveFfmpeg } from '@adatosk/datasets';
import { CliError } from '../errors.js';

const IMAGE = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp']);
const VIDEO = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm']);

/** Frame files sorted by the last integer in their stem (1.jpg, 2.jpg, ..., 10.jpg), as DFEW needs. */
export function sortFrames(files: string[]): string[] {
  const key = (f: string) => {
    const m = /(\d+)(?!.*\d)/.exec(f.slice(0, f.length - extname(f).length));
    return m ? Number(m[1]) : -1;
  };
  return files.slice().sort((a, b) => key(a) - key(b) || a.localeCompare(b));
}

/** T indices spread evenly over n frames (the middle of T equal segments), padding by repetition when n < T. */
export function evenIndices(n: number, T: number): number[] {
  return Array.from({ length: T }, (_, i) => Math.min(n - 1, Math.floor(((i + 0.5) * n) / T)));
}

function normalise(rgb: Uint8Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < rgb.length; i++) {
    const c = i % 3;
    out[offset + i] = (rgb[i] / 255 - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
  }
}

async function fromFrames(dir: string, T: number, size: number): Promise<Float32Array> {
  const files = sortFrames((await readdir(dir)).filter((f) => IMAGE.has(extname(f).toLowerCase())));
  if (files.length === 0) throw new CliError(`'${dir}' holds no image frames (.jpg/.png/.bmp/.webp)`, 2);
  const out = new Float32Array(T * size * size * 3);
  const idx = evenIndices(files.length, T);
  for (let t = 0; t < T; t++) {
    const file = join(dir, files[idx[t]]);
    let raw: Buffer;
    try {
      // Letterboxed (black bars), not squashed: a face keeps its shape in a non-square frame.
      raw = await sharp(file)
        .removeAlpha()
        .toColourspace('srgb')
        .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
        .raw()
        .toBuffer();
    } catch (e) {
      throw new CliError(`frame '${file}' cannot be read: ${(e as Error).message}`, 1);
    }
    normalise(raw, out, t * size * size * 3);
  }
  return out;
}

async function fromVideo(file: string, T: number, size: number): Promise<Float32Array> {
  const frameBytes = size * size * 3;
  const chunks: Buffer[] = [];
  // The same ffmpeg the datasets use (ADATOSK_FFMPEG, the bundled @ffmpeg-installer binary, or PATH).
  const ffmpeg = await resolveFfmpeg();
  await new Promise<void>((resolve, reject) => {
    // Letterboxed (black bars), not squashed, as for frame folders.
    const fit = `scale=${size}:${size}:force_original_aspect_ratio=decrease,pad=${size}:${size}:(ow-iw)/2:(oh-ih)/2:black`;
    const p = spawn(ffmpeg, ['-v', 'error', '-i', file, '-vf', fit, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', (e) => reject(new CliError(`cannot run ffmpeg to decode '${file}': ${e.message}`, 1)));
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new CliError(`ffmpeg could not decode '${file}': ${err.trim() || `exit ${code}`}`, 1)),
    );
  });
  const all = Buffer.concat(chunks);
  const n = Math.floor(all.length / frameBytes);
  if (n === 0) throw new CliError(`'${file}' decoded to no frames`, 1);
  const out = new Float32Array(T * frameBytes);
  evenIndices(n, T).forEach((f, t) => normalise(all.subarray(f * frameBytes, (f + 1) * frameBytes), out, t * frameBytes));
  return out;
}

/** Reads a whole-frame clip for the model (no face crop; letterboxed): `[T,size,size,3]` ImageNet-normalised. */
export async function readClip(path: string, T: number, size: number): Promise<ClipSample> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new CliError(`input '${path}' does not exist; pass a video file or a folder of frames`, 2);
  let frames: Float32Array;
  if (s.isDirectory()) frames = await fromFrames(path, T, size);
  else if (VIDEO.has(extname(path).toLowerCase())) frames = await fromVideo(path, T, size);
  else throw new CliError(`input '${path}' is neither a folder of frames nor a video (${[...VIDEO].join(', ')})`, 2);
  return { id: path, label: -1, frames, shape: [T, size, size, 3] };
}

/** Inverse of the ImageNet normalisation, to RGB bytes (for drawing). */
export function denormalise(frames: Float32Array): Uint8Array {
  const out = new Uint8Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const c = i % 3;
    out[i] = Math.max(0, Math.min(255, Math.round((frames[i] * IMAGENET_STD[c] + IMAGENET_MEAN[c]) * 255)));
  }
  return out;
}
