// uint8 RGB pixels packed one per int32 (`r + 256 g + 65536 b`): a third of the bytes of float32 values to
// upload, and exact in float32 (below 2^24), which WebGPU computes integer tensors in. Browser-safe, pure.

/** Packs `rgb` (H*W*3 uint8) into `out` at `offset` (H*W int32). */
export function packPixels(rgb: Uint8Array, out: Int32Array, offset = 0): void {
  const n = rgb.length / 3;
  for (let p = 0, i = 0; p < n; p++, i += 3) out[offset + p] = rgb[i]! | (rgb[i + 1]! << 8) | (rgb[i + 2]! << 16);
}

/** Inverse of `packPixels` (tests, previews). */
export function unpackPixelsCpu(packed: Int32Array): Uint8Array {
  const out = new Uint8Array(packed.length * 3);
  for (let p = 0; p < packed.length; p++) {
    const v = packed[p]!;
    out[p * 3] = v & 255;
    out[p * 3 + 1] = (v >> 8) & 255;
    out[p * 3 + 2] = (v >> 16) & 255;
  }
  return out;
}
