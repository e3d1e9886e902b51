// Decodes one frame (a file or raw pixels) into size x size uint8 RGB with sharp: optional crop (normalised
// box of the square-resized frame), resize (bilinear) and horizontal flip in one libvips pipeline.
import { readFile } from 'node:fs/promises';
import type { Matrix3x3, Sharp } from 'sharp';
import { loadSharp } from './sharp.js';
import { type CropBox, saturationMatrix } from '../common/augment.js';
import { type RawImage, decodeBmp } from './bmp.js';

export type FrameInput = { kind: 'file'; path: string } | { kind: 'raw'; image: RawImage };

export interface FrameGeometry {
  crop: CropBox;
  flip: boolean;
  size: number;
  /** Saturation factor of the colour jitter, applied in libvips (`recomb`); brightness/contrast go in the normalisation table. */
  saturation?: number;
}

const isFull = (c: CropBox) => c.x === 0 && c.y === 0 && c.w === 1 && c.h === 1;

async function open(input: FrameInput): Promise<Sharp> {
  const sharp = await loadSharp();
  if (input.kind === 'raw') {
    const { data, width, height } = input.image;
    return sharp(data, { raw: { width, height, channels: 3 } });
  }
  // Reading the file ourselves (libuv thread pool) and handing sharp the bytes measured ~25% less CPU per
  // frame than letting libvips open the file.
  const bytes = await readFile(input.path);
  if (/\.bmp$/i.test(input.path)) {
    const image = decodeBmp(bytes, input.path);
    return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  }
  // failOn 'warning' (the default) also rejects truncated JPEG/PNG instead of returning grey rows.
  return sharp(bytes, { failOn: 'warning' });
}

/**
 * One frame as size*size*3 uint8 RGB. A crop is taken by resizing the whole frame so that the crop box
 * becomes size x size and extracting it; libvips computes only the extracted region, and no per-frame
 * size lookup is needed (frames of one clip may differ in size).
 */
export async function decodeFrame(input: FrameInput, g: FrameGeometry): Promise<Uint8Array> {
  let img = await open(input);
  if (isFull(g.crop)) {
    img = img.resize(g.size, g.size, { fit: 'fill', kernel: 'linear' });
  } else {
    const w = Math.max(g.size, Math.round(g.size / g.crop.w));
    const h = Math.max(g.size, Math.round(g.size / g.crop.h));
    const left = Math.min(w - g.size, Math.max(0, Math.round(g.crop.x * w)));
    const top = Math.min(h - g.size, Math.max(0, Math.round(g.crop.y * h)));
    img = img.resize(w, h, { fit: 'fill', kernel: 'linear' }).extract({ left, top, width: g.size, height: g.size });
  }
  if (g.flip) img = img.flop();
  if (g.saturation !== undefined && g.saturation !== 1) img = img.recomb(saturationMatrix(g.saturation) as Matrix3x3);
  let { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) {
    // Greyscale or CMYK input: convert (rare, so the common path skips the colourspace step).
    ({ data, info } = await img.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }));
  }
  if (info.channels !== 3 || data.length !== g.size * g.size * 3) {
    throw new Error(`decoded frame has ${info.channels} channels and ${data.length} bytes, expected ${g.size}x${g.size}x3`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
