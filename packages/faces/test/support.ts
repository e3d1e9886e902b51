// Shared test helpers: the real-face fixtures, decoded with sharp, and the WASM backend.
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { selectDevice } from '@adatosk/backend-node';
import type { RawImage } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const fixture = (name: string) => `${FIXTURES}${name}`;

export async function loadImage(name: string): Promise<RawImage> {
  const { data, info } = await sharp(fixture(name)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export async function useWasm(): Promise<void> {
  await selectDevice('wasm');
}
