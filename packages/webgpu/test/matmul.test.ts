// Our BatchMatMul kernel on WebGPU (Dawn + SwiftShader) against float64 products computed in JS: every
// tile, every transposition, 16-byte and scalar loads, ragged edges and the awkward sizes 1, 3, 65, 127.
// SwiftShader compiles each shader variant in seconds, so the big tiles run two variants each and the
// smallest tile covers the full matrix of layouts.
import { afterAll, beforeAll, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { resetMatMulOptions, setMatMulOptions, type TileName } from '@adatosk/webgpu';
import { describeWithSystem, useWebGPU } from './webgpu.js';
import { expectClose, operand, referenceMatMul } from './matmul-reference.js';

/** [M, N, K] with tA/tB, checked against float64. */
async function check(m: number, n: number, k: number, tA: boolean, tB: boolean, seed: number): Promise<void> {
  const a = operand(tA ? [k, m] : [m, k], seed);
  const b = operand(tB ? [n, k] : [k, n], seed + 1);
  const [ta, tb] = [tf.tensor(a.data, a.shape), tf.tensor(b.data, b.shape)];
  const out = tf.matMul(ta, tb, tA, tB);
  expectClose(await out.data(), out.shape, referenceMatMul(a, b, tA, tB), 1e-4, `${m}x${n}x${k} tA=${tA} tB=${tB}`);
  tf.dispose([ta, tb, out]);
}

async function withTile(tile: TileName, body: () => Promise<void>): Promise<void> {
  setMatMulOptions({ plan: { kind: 'tiled', tile } });
  try {
    await body();
  } finally {
    setMatMulOptions({ plan: undefined });
  }
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describeWithSystem('webgpu', 'tiled matmul kernel on WebGPU', () => {
  useWebGPU();
  beforeAll(() => setMatMulOptions({ mode: 'ours' }));
  afterAll(() => resetMatMulOptions());

  it('t32x32: all four transpositions with 16-byte loads, ragged tiles and K not a multiple of BK', () =>
    withTile('t32x32', async () => {
      for (const [tA, tB] of TRANSPOSES) {
        // The contiguous extents of A, B and C are multiples of 4 (16-byte loads and stores); M or N odd where
        // that stays true, K = 72 is 4.5 slices of 16.
        await check(tA ? 68 : 65, tB ? 127 : 132, 72, tA, tB, 10);
        await check(4, 4, 4, tA, tB, 11);
      }
    }));

  it('t32x32: all four transpositions with scalar loads at sizes 1, 3, 65, 127', () =>
    withTile('t32x32', async () => {
      let seed = 20;
      for (const [tA, tB] of TRANSPOSES) {
        for (const [m, n, k] of [
          [65, 127, 3],
          [1, 3, 65],
          [127, 1, 1],
          [3, 65, 127],
          [1, 1, 127],
        ])
          await check(m, n, k, tA, tB, seed++);
      }
    }));

  for (const tile of ['t128x128', 't128x64', 't64x128', 't64x64'] as const) {
    it(`${tile}: A.B with 16-byte loads and A^T.B^T with scalar loads, several tiles per axis`, () =>
      withTile(tile, async () => {
        await check(131, 260, 76, false, false, 30); // vec4 A and B; 2-3 tiles per axis, ragged
        await check(257, 129, 33, true, true, 31); // scalar A (M odd) and B (K odd), C scalar (N odd)
        await check(1, 3, 65, true, true, 32);
      }));
  }
});
