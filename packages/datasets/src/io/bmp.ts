// Minimal BMP decoder (uncompressed 24/32-bit, bottom-up or top-down): sharp's prebuilt libvips has no BMP loader.

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

export function decodeBmp(buf: Uint8Array, name = 'image'): RawImage {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 54 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error(`${name} is not a BMP file`);
  const offset = view.getUint32(10, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (!(bpp === 24 || bpp === 32) || !(compression === 0 || compression === 3)) {
    throw new Error(
      `${name}: only uncompressed 24/32-bit BMP is supported (got ${bpp}-bit, compression ${compression}); convert it to PNG or JPEG`,
    );
  }
  const height = Math.abs(rawHeight);
  const bytesPerPixel = bpp / 8;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  if (offset + stride * height > buf.length) throw new Error(`${name} is truncated`);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const s = srcRow + x * bytesPerPixel,
        d = (y * width + x) * 3;
      data[d] = buf[s + 2]!;
      data[d + 1] = buf[s + 1]!;
      data[d + 2] = buf[s]!;
    }
  }
  return { data, width, height, channels: 3 };
}

/** Encodes uncompressed 24-bit BMP (for writing test layouts). */
export function encodeBmp(data: Uint8Array, width: number, height: number): Uint8Array {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + stride * height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, stride * height, true);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3,
        d = row + x * 3;
      out[d] = data[s + 2]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s]!;
    }
  }
  return out;
}
