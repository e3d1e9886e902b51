// Every WGSL variant the attention and matmul generators emit, checked by Dawn's WGSL front end (Tint)
// without building pipelines (fast: no SwiftShader code generation), so a change to the shared building
// blocks (src/wgsl/) that breaks a variant the GPU tests do not run fails here. With
// ADATOSK_WGSL_DUMP=<dir> the sources are also written there, one file per variant, to diff generators.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { dkvShader, dqShader } from '../src/attention/backwardShaders.js';
import { forwardShader } from '../src/attention/forwardShader.js';
import { chooseAttentionTiles } from '../src/attention/tiles.js';
import { AdaToskDotMatMulProgram } from '../src/matmul/dot-program.js';
import { describeMatMul, type MatMulProblem } from '../src/matmul/problem.js';
import { AdaToskSplitKReduceProgram } from '../src/matmul/splitk-program.js';
import { AdaToskMatMulProgram } from '../src/matmul/tiled-program.js';
import { TILES, type TileName } from '../src/matmul/tiles.js';
import { describeWithSystem, useWebGPU } from './webgpu.js';

type Info = tf.TensorInfo;
const info = (shape: number[]): Info => ({ dataId: {}, shape, dtype: 'float32' });

function problem(
  a: number[],
  b: number[],
  tA: boolean,
  tB: boolean,
  bias?: number[],
  activation = 'linear',
): { p: MatMulProblem; a: Info; b: Info; bias?: Info } {
  const [ai, bi, biasi] = [info(a), info(b), bias ? info(bias) : undefined];
  const check = describeMatMul({ a: ai, b: bi, bias: biasi, transposeA: tA, transposeB: tB, activation });
  if (!check.ok) throw new Error(check.reason);
  return { p: check.problem, a: ai, b: bi, bias: biasi };
}

/** The WGSL module of a matmul program (its private source closure). */
const sourceOf = (program: object) => (program as { source: () => string }).source();

function variants(backend: WebGPUBackend): Map<string, string> {
  const out = new Map<string, string>();
  for (const [dh, budget] of [
    [64, 32768],
    [64, 16384],
    [32, 32768],
    [30, 32768],
    [6, 16384],
    [96, 32768],
  ] as const) {
    const t = chooseAttentionTiles(dh, budget);
    const tag = `dh${dh}_${budget}_split${t.split}`;
    out.set(`attention_forward_${tag}`, forwardShader(t));
    out.set(`attention_dq_${tag}`, dqShader(t));
    out.set(`attention_dkv_${tag}`, dkvShader(t));
  }
  // [M, K] x [K, N] with M, N, K chosen so each layout gets 16-byte or scalar access as named.
  const shapes = [
    { name: 'vec', m: 8, n: 8, k: 8 },
    { name: 'scalar', m: 5, n: 7, k: 3 },
  ];
  for (const tile of Object.keys(TILES) as TileName[]) {
    for (const s of shapes) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const q = problem(tA ? [s.k, s.m] : [s.m, s.k], tB ? [s.n, s.k] : [s.k, s.n], tA, tB);
        out.set(
          `mm_${tile}_${s.name}_${tA ? 'tA' : 'A'}_${tB ? 'tB' : 'B'}`,
          sourceOf(new AdaToskMatMulProgram(backend, q.p, q, tile, 1, q.p.k)),
        );
      }
    }
  }
  for (const [bias, activation, n] of [
    [[8], 'relu', 8],
    [[7], 'leakyrelu', 7],
    [[1], 'elu', 8],
    [undefined, 'sigmoid', 7],
  ] as const) {
    const q = problem([2, 8, 16], [16, n], false, false, bias ? [...bias] : undefined, activation);
    const tag = `${bias ? `b${bias[0]}` : 'nb'}_${activation}_n${n}`;
    out.set(`mm_t64x64_epilogue_${tag}`, sourceOf(new AdaToskMatMulProgram(backend, q.p, q, 't64x64', 1, q.p.k)));
    out.set(`mm_t32x32_partial_${tag}`, sourceOf(new AdaToskMatMulProgram(backend, q.p, q, 't32x32', 2, 8)));
    out.set(`mm_splitk_${tag}`, sourceOf(new AdaToskSplitKReduceProgram(backend, q.p, info([2, 16, n]), q.bias, 2)));
    for (const tB of [false, true]) {
      const d = problem([1, 256], tB ? [n, 256] : [256, n], false, tB, bias ? [...bias] : undefined, activation);
      out.set(`mm_dot_wg_${tB ? 'tB' : 'B'}_${tag}`, sourceOf(new AdaToskDotMatMulProgram(backend, d.p, d, 64, false)));
    }
  }
  return out;
}

describeWithSystem('webgpu', 'generated WGSL of the attention and matmul kernels', () => {
  useWebGPU();

  it('compiles in Dawn without errors, every variant', async () => {
    const backend = tf.backend() as unknown as WebGPUBackend;
    const device = backend.device;
    const all = variants(backend);
    const dump = process.env.ADATOSK_WGSL_DUMP;
    if (dump) mkdirSync(dump, { recursive: true });
    const errors: string[] = [];
    for (const [name, code] of all) {
      if (dump) writeFileSync(join(dump, `${name}.wgsl`), code);
      const info = await device.createShaderModule({ code, label: name }).getCompilationInfo();
      for (const m of info.messages) if (m.type === 'error') errors.push(`${name} ${m.lineNum}:${m.linePos} ${m.message}`);
    }
    expect(all.size).toBeGreaterThanOrEqual(78);
    expect(errors).toEqual([]);
  });
});
