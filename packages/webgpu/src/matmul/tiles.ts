// The workgroup tiles of the tiled matmul kernel and, per adapter class, which of them the planner may pick
// and how fast each is expected to run per multiply-add relative to the largest.
//
// Why these: per slice of K, an invocation reads TM/4 + TN/4 vec4s of workgroup memory for TM * TN
// fused multiply-adds, and a workgroup reads (BM + BN) * BK floats of global memory for BM * BN * BK of
// them. 128x128 with 8x8 per invocation: 16 FMAs per float read from workgroup memory, 64 per float read
// from global memory (L2), ~100 registers per invocation: the classic SGEMM shape that keeps FMA units
// busy on NVIDIA/AMD. Smaller tiles trade that intensity for more workgroups (attention's N x 64 and
// N x N products at N = 80..400, the weight gradients' 768 x 768 outputs) and less padding waste.
import type { TileShape } from '../wgsl/matmul-tile.js';
import type { AdapterClass } from './adapter.js';

export type TileName = 't128x128' | 't128x64' | 't64x128' | 't64x64' | 't32x32';

export const TILES: Readonly<Record<TileName, TileShape>> = {
  // 256 invocations, 8x8 each, 16 KiB of workgroup memory (two stages).
  t128x128: { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
  // 256 invocations, 8x4 / 4x8 each, 12 KiB: outputs 64 wide (attention's P.V, dQ) or tall.
  t128x64: { bm: 128, bn: 64, bk: 8, tm: 8, tn: 4 },
  t64x128: { bm: 64, bn: 128, bk: 8, tm: 4, tn: 8 },
  // 256 invocations, 4x4 each, BK 16, 16 KiB: small outputs, more workgroups.
  t64x64: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  // 64 invocations, 4x4 each, 8 KiB: tiny outputs, software adapters.
  t32x32: { bm: 32, bn: 32, bk: 16, tm: 4, tn: 4 },
};

export interface TileCandidate {
  tile: TileName;
  /** Expected multiply-adds per second of one workgroup of this tile relative to a 256-invocation t128x128 one. */
  rate: number;
}

// Relative rates from intensity (see above): t128x128 16 FMA per workgroup-memory float, t128x64 10.7,
// t64x64 8 and fewer registers in flight. Estimates until measured (docs/webgpu-matmul.md).
export const CANDIDATES: Readonly<Record<AdapterClass, readonly TileCandidate[]>> = {
  discrete: [
    { tile: 't128x128', rate: 1 },
    { tile: 't128x64', rate: 0.8 },
    { tile: 't64x128', rate: 0.8 },
    { tile: 't64x64', rate: 0.55 },
    { tile: 't32x32', rate: 0.12 },
  ],
  unknown: [
    { tile: 't128x128', rate: 1 },
    { tile: 't128x64', rate: 0.8 },
    { tile: 't64x128', rate: 0.8 },
    { tile: 't64x64', rate: 0.55 },
    { tile: 't32x32', rate: 0.12 },
  ],
  // Integrated GPUs: fewer registers per core; the 8x8 micro-tile tends to spill.
  integrated: [
    { tile: 't64x64', rate: 1 },
    { tile: 't32x32', rate: 0.3 },
  ],
  // SwiftShader runs a workgroup on one CPU thread in SIMD-4 lanes; measured on it (docs/webgpu-matmul.md).
  software: [
    { tile: 't64x64', rate: 1 },
    { tile: 't32x32', rate: 0.6 },
  ],
};
