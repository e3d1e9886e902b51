// Horizontal flip of one uint8 RGB frame (used where no image library is at hand: synthetic and browser paths).

export function flipHorizontal(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  const row = width * 3;
  for (let y = 0; y < height; y++) {
    const base = y * row;
    for (let x = 0; x < width; x++) {
      const s = base + x * 3,
        d = base + (width - 1 - x) * 3;
      out[d] = pixels[s]!;
      out[d + 1] = pixels[s + 1]!;
      out[d + 2] = pixels[s + 2]!;
    }
  }
  return out;
}
