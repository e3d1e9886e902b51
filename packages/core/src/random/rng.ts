// The one seeded PRNG of every package (xoshiro128** seeded through splitmix32).
// Library code never uses Math.random: every random draw comes from an Rng handed in by the caller,
// so a run is reproducible from one seed. `split(label)` derives an independent stream from the
// generator's *seed path* (not from how many numbers were drawn), so adding a draw in one place does
// not shift the numbers another component sees. Seeds are mixed by `mixSeed` (./seed.ts) only.
import { mixKey, seedKey, type Seed } from './seed.js';

/** A deterministic random stream. */
export interface Rng {
  /** The seed path this stream was derived from, e.g. `"42/hard-mask/3"` (for logs and errors). */
  readonly seed: string;
  /** Next uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Next uniform float in `[0, 1)`. */
  float(): number;
  /** Next uniform integer in `[0, maxExclusive)`. */
  int(maxExclusive: number): number;
  /** Next uniform float in `[lo, hi)`. */
  uniform(lo: number, hi: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Next standard normal sample (Box-Muller). */
  normal(): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** `count` distinct integers drawn uniformly from `[0, n)`, in draw order (partial Fisher-Yates). */
  choose(n: number, count: number): Int32Array;
  /** An independent stream derived from this stream's seed path and `label`; does not advance this one. */
  split(label: string | number): Rng;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

class Xoshiro128 implements Rng {
  private readonly s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(
    readonly seed: string,
    private readonly key: number,
  ) {
    const sm = { s: key };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(sm);
    // xoshiro must not start from the all-zero state.
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  uint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  float(): number {
    return this.uint32() / 4294967296;
  }

  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`Rng.int: maxExclusive must be a positive integer, got ${maxExclusive}.`);
    }
    return Math.floor(this.float() * maxExclusive);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    // 1 - float() lies in (0, 1], so the log is finite.
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  choose(n: number, count: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || !Number.isInteger(count) || count < 0 || count > n) {
      throw new RangeError(`Rng.choose: need integers 0 <= count <= n, got n=${n}, count=${count}.`);
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, count);
  }

  split(label: string | number): Rng {
    return new Xoshiro128(`${this.seed}/${label}`, mixKey(this.key, label, 'Rng.split'));
  }
}

/** Creates a deterministic random stream from an integer or string seed. */
export function createRng(seed: Seed = 0): Rng {
  return new Xoshiro128(String(seed), seedKey(seed, 'createRng'));
}

/**
 * A named random stream: `seedStream(seed, 'shuffle', epoch)` is `createRng(seed).split('shuffle').split(epoch)`.
 * Name every stream after what it drives, so adding one never shifts the numbers another sees.
 */
export function seedStream(seed: Seed, ...path: Array<string | number>): Rng {
  let key = seedKey(seed, 'seedStream');
  for (const part of path) key = mixKey(key, part, 'seedStream');
  return new Xoshiro128([seed, ...path].join('/'), key);
}

/** True when `value` looks like an {@link Rng} (used to give a clear error for a missing generator). */
export function isRng(value: unknown): value is Rng {
  return (
    typeof value === 'object' && value !== null && typeof (value as Rng).float === 'function' && typeof (value as Rng).split === 'function'
  );
}
