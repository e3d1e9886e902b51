// The one seed mixer of every package. A seed (an integer or a string) and a path of labels
// (stream names, epochs, indices) hash to a 32-bit key: FNV-1a over the text, then murmur3's
// finaliser. `createRng`, `Rng.split` and `seedStream` key their generators with it, and `mixSeed`
// hands the same key out as a number where a contract carries a numeric seed (a dataset's `seed`).

/** Seeds accepted by {@link createRng}: an integer or any string. */
export type Seed = number | string;

/** murmur3's 32-bit finaliser: avalanches the bits of a 32-bit hash. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashText(text: string, h: number): number {
  // FNV-1a over UTF-16 code units, then the finaliser to spread the bits.
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

function checkPart(part: unknown, who: string): string {
  if (typeof part === 'string') return part;
  if (typeof part === 'number' && Number.isFinite(part)) return String(part);
  throw new RangeError(`${who}: a seed must be a finite number or a string, got ${String(part)}.`);
}

/** The key of a root seed (numbers and their decimal strings give the same stream). */
export function seedKey(seed: Seed, who = 'seed'): number {
  return hashText(checkPart(seed, who), 0x811c9dc5);
}

/** The key of the stream `label` under the stream keyed `key`. */
export function mixKey(key: number, label: string | number, who = 'seed'): number {
  return fmix32((key ^ hashText(checkPart(label, who), 0x9747b28c)) >>> 0);
}

/**
 * Mixes a seed and a path of labels into one 32-bit integer seed: `mixSeed(seed, 'clip', epoch, index)`.
 * Same parts, same number; it equals the key of `seedStream(seed, ...path)`.
 */
export function mixSeed(seed: Seed, ...path: Array<string | number>): number {
  let key = seedKey(seed, 'mixSeed');
  for (const part of path) key = mixKey(key, part, 'mixSeed');
  return key;
}
