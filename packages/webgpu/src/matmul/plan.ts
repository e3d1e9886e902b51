// Which kernel runs a product, by shape class and adapter: the tiled kernel with the tile and split-K factor
// a small cost model expects to finish first, the reduction ("dot") kernel for tiny outputs with a long K
// (the classifier), or TF.js's kernel.
import { tileThreads, tileWorkgroupBytes } from '../wgsl/matmul-tile.js';
import type { AdapterProfile } from './adapter.js';
import type { MatMulOptions } from './options.js';
import { problemMacs, type MatMulProblem } from './problem.js';
import { CANDIDATES, TILES, type TileName } from './tiles.js';

export type MatMulPlan =
  | { kind: 'tiled'; tile: TileName; splitK: number; kChunk: number; cost: number }
  | { kind: 'dot'; threads: number; subgroup: boolean }
  | { kind: 'tfjs'; reason: string };

/** Outputs per dot-kernel workgroup (one row, four columns). */
export const DOT_COLUMNS = 4;
/** The dot kernel serves products with at most this many workgroups and a K at least this long. */
const DOT_MAX_WORKGROUPS = 2048;
const DOT_MIN_K = 64;
const SPLITS = [1, 2, 3, 4, 6, 8, 12, 16];
/** Each split must keep at least this much K (shorter slices are all prologue). */
const MIN_SPLIT_K = 128;
// Cost units: one multiply-add of one 256-invocation workgroup at rate 1. A reduction pass streams
// (splits + 1) floats per output; on an H200 one float of memory traffic costs about as much time as 28
// multiply-adds of the whole card (4.8 TB/s against 33.5 T FMA/s), and a dispatch about 5 us.
const FLOAT_COST = 28;
const DISPATCH_COST = 6e5;

/** The split-K reduce pass's cost in the units above. */
function reduceCost(p: MatMulProblem, splits: number, profile: AdapterProfile): number {
  return splits === 1 ? 0 : DISPATCH_COST + ((splits + 1) * p.batch * p.m * p.n * FLOAT_COST) / profile.concurrentWorkgroups;
}

/** The expected time of `tile` with `splits` (cost units), and the K slice per split. */
export function tiledCost(
  p: MatMulProblem,
  tile: TileName,
  rate: number,
  splits: number,
  profile: AdapterProfile,
): { cost: number; kChunk: number; splits: number } {
  const t = TILES[tile];
  const kChunk = Math.ceil(Math.ceil(p.k / splits) / t.bk) * t.bk;
  const realSplits = Math.ceil(p.k / kChunk);
  const workgroups = p.batch * Math.ceil(p.m / t.bm) * Math.ceil(p.n / t.bn) * realSplits;
  const slots = Math.max(1, Math.round((profile.concurrentWorkgroups * 256) / tileThreads(t)));
  const waves = Math.ceil(workgroups / slots);
  const perWorkgroup = (t.bm * t.bn * kChunk) / rate;
  return { cost: waves * perWorkgroup + reduceCost(p, realSplits, profile), kChunk, splits: realSplits };
}

function fits(tile: TileName, profile: AdapterProfile, p: MatMulProblem, splits: number): boolean {
  const t = TILES[tile];
  return (
    tileThreads(t) <= profile.maxInvocations &&
    tileWorkgroupBytes(t) <= profile.maxWorkgroupBytes &&
    Math.ceil(p.n / t.bn) <= profile.maxWorkgroupsPerDimension &&
    Math.ceil(p.m / t.bm) <= profile.maxWorkgroupsPerDimension &&
    p.batch * splits <= profile.maxWorkgroupsPerDimension
  );
}

function dotPlan(profile: AdapterProfile, options: MatMulOptions): MatMulPlan {
  const sg =
    options.subgroups &&
    profile.subgroups &&
    profile.subgroupSize !== undefined &&
    profile.subgroupSize >= 4 &&
    profile.subgroupSize <= profile.maxInvocations;
  return { kind: 'dot', threads: sg ? profile.subgroupSize! : 64, subgroup: sg };
}

function dotFits(p: MatMulProblem, profile: AdapterProfile): boolean {
  return (
    Math.ceil(p.n / DOT_COLUMNS) <= profile.maxWorkgroupsPerDimension &&
    p.m <= profile.maxWorkgroupsPerDimension &&
    p.batch <= profile.maxWorkgroupsPerDimension
  );
}

/** The plan for `p` on `profile` under `options`. */
export function planMatMul(p: MatMulProblem, profile: AdapterProfile, options: MatMulOptions): MatMulPlan {
  if (options.mode === 'tfjs') return { kind: 'tfjs', reason: "matmul mode 'tfjs'" };
  if (options.mode === 'auto' && problemMacs(p) < options.minMacs)
    return { kind: 'tfjs', reason: `below ${options.minMacs} multiply-adds` };
  const forced = options.plan;
  if (forced?.kind === 'dot')
    return dotFits(p, profile) ? dotPlan(profile, options) : { kind: 'tfjs', reason: 'dispatch too large for the dot kernel' };
  if (forced?.kind === 'tiled') {
    const splits = Math.max(1, Math.min(forced.splitK ?? 1, Math.ceil(p.k / TILES[forced.tile].bk)));
    if (!fits(forced.tile, profile, p, splits)) return { kind: 'tfjs', reason: `tile ${forced.tile} does not fit the device or the shape` };
    const c = tiledCost(p, forced.tile, 1, splits, profile);
    return { kind: 'tiled', tile: forced.tile, splitK: c.splits, kChunk: c.kChunk, cost: c.cost };
  }
  const dotWorkgroups = p.batch * p.m * Math.ceil(p.n / DOT_COLUMNS);
  if (dotWorkgroups <= DOT_MAX_WORKGROUPS && p.k >= DOT_MIN_K && dotFits(p, profile)) return dotPlan(profile, options);
  let best: Extract<MatMulPlan, { kind: 'tiled' }> | undefined;
  for (const { tile, rate } of CANDIDATES[profile.kind]) {
    // Split K only to fill an under-occupied device: past one full wave the partial sums' traffic buys
    // little, and the wave count rests on an estimated `concurrentWorkgroups`.
    const t = TILES[tile];
    const tiles = p.batch * Math.ceil(p.m / t.bm) * Math.ceil(p.n / t.bn);
    const canSplit = tiles < (profile.concurrentWorkgroups * 256) / tileThreads(t);
    for (const s of SPLITS) {
      if (s > 1 && (!canSplit || p.k / s < MIN_SPLIT_K)) break;
      const c = tiledCost(p, tile, rate, s, profile);
      if (!fits(tile, profile, p, c.splits)) continue;
      if (!best || c.cost < best.cost) best = { kind: 'tiled', tile, splitK: c.splits, kChunk: c.kChunk, cost: c.cost };
    }
  }
  return best ?? { kind: 'tfjs', reason: 'no tile fits the device limits' };
}
