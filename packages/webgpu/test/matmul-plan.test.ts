// The matmul planner and problem description, without a GPU: which kernel, tile and split each product
// of AdaTosk base gets on an H200-like profile and on a software adapter, and which calls go to TF.js.
import { afterEach, describe, expect, it } from 'vitest';
import {
  MODEL_WIDTHS,
  TILES,
  describeMatMul,
  getMatMulOptions,
  planMatMul,
  resetMatMulOptions,
  setMatMulOptions,
  trainingMatMuls,
  type MatMulPlan,
} from '@adatosk/webgpu';
import { profileFrom } from '../src/matmul/adapter.js';
import { tileThreads, tileWorkgroupBytes, validateTile } from '../src/wgsl/matmul-tile.js';
import { tfjsUniformFields } from '../src/wgsl/program.js';

const limits = (storage = 32768, invocations = 1024) =>
  ({
    maxComputeWorkgroupStorageSize: storage,
    maxComputeInvocationsPerWorkgroup: invocations,
    maxComputeWorkgroupsPerDimension: 65535,
  }) as GPUSupportedLimits;
const H200 = profileFrom(
  { vendor: 'nvidia', architecture: 'hopper', subgroupMinSize: 32, subgroupMaxSize: 32 },
  new Set(['subgroups', 'timestamp-query']),
  limits(),
);
const SWIFTSHADER = profileFrom(
  { vendor: 'google', architecture: 'swiftshader', subgroupMinSize: 4, subgroupMaxSize: 4 },
  new Set(['timestamp-query']),
  limits(32768, 256),
);
const info = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => ({ dataId: {}, shape, dtype });

function planOf(a: number[], b: number[], tA: boolean, tB: boolean, profile = H200): MatMulPlan {
  const c = describeMatMul({ a: info(a), b: info(b), transposeA: tA, transposeB: tB });
  if (!c.ok) throw new Error(c.reason);
  return planMatMul(c.problem, profile, getMatMulOptions());
}

afterEach(() => resetMatMulOptions());

describe('adapter profiles', () => {
  it('classifies adapters and reads one subgroup size only when min == max', () => {
    expect(H200).toMatchObject({ kind: 'discrete', subgroups: true, subgroupSize: 32, timestampQuery: true });
    expect(SWIFTSHADER).toMatchObject({ kind: 'software', subgroups: false, subgroupSize: 4 });
    expect(profileFrom({ vendor: 'intel', subgroupMinSize: 8, subgroupMaxSize: 32 }, new Set(['subgroups']), limits())).toMatchObject({
      kind: 'integrated',
      subgroupSize: undefined,
    });
    expect(profileFrom({}, new Set(), limits()).kind).toBe('unknown');
  });
});

describe('planner on an H200-like profile (AdaTosk base)', () => {
  const shapes = [32, 8].flatMap((batch) => trainingMatMuls(MODEL_WIDTHS.base, batch).map((s) => ({ batch, s })));

  it('every product gets one of our kernels, within the device limits', () => {
    for (const { s } of shapes) {
      const p = planOf(s.a, s.b, s.transposeA, s.transposeB);
      expect(p.kind, s.name).not.toBe('tfjs');
      if (p.kind === 'tiled') {
        expect(tileWorkgroupBytes(TILES[p.tile])).toBeLessThanOrEqual(H200.maxWorkgroupBytes);
        expect(tileThreads(TILES[p.tile])).toBeLessThanOrEqual(256);
      }
    }
  });

  it('linear layers at batch 32 use the 128x128 tile; weight gradients (K = tokens) split K', () => {
    for (const { batch, s } of shapes) {
      if (batch !== 32 || s.shapeClass !== 'linear') continue;
      const p = planOf(s.a, s.b, s.transposeA, s.transposeB);
      expect(p, s.name).toMatchObject({ kind: 'tiled', tile: 't128x128' });
      if (s.name.endsWith('dW')) expect((p as { splitK: number }).splitK, s.name).toBeGreaterThan(1);
      else expect((p as { splitK: number }).splitK, s.name).toBe(1);
    }
  });

  it("attention's N x 64 outputs use a 64-wide tile; the classifier's tiny output uses the subgroup dot kernel", () => {
    expect(planOf([32, 12, 800, 800], [32, 12, 800, 64], false, false)).toMatchObject({ kind: 'tiled', tile: 't128x64', splitK: 1 });
    expect(planOf([32, 12, 800, 64], [32, 12, 800, 64], false, true)).toMatchObject({ kind: 'tiled', tile: 't128x128' });
    expect(planOf([32, 768], [768, 7], false, false)).toEqual({ kind: 'dot', threads: 32, subgroup: true });
    setMatMulOptions({ subgroups: false });
    expect(planOf([32, 768], [768, 7], false, false)).toEqual({ kind: 'dot', threads: 64, subgroup: false });
  });

  it('split K never leaves a slice shorter than 128 and covers K exactly', () => {
    for (const { s } of shapes) {
      const p = planOf(s.a, s.b, s.transposeA, s.transposeB);
      if (p.kind !== 'tiled' || p.splitK === 1) continue;
      const k = s.transposeA ? s.a[s.a.length - 2] : s.a[s.a.length - 1];
      expect(p.kChunk * (p.splitK - 1)).toBeLessThan(k);
      expect(p.kChunk * p.splitK).toBeGreaterThanOrEqual(k);
      expect(p.kChunk).toBeGreaterThanOrEqual(128);
    }
  });
});

describe('planner options and other adapters', () => {
  it('a software adapter gets only its own tiles and never more invocations than it allows', () => {
    for (const s of trainingMatMuls(MODEL_WIDTHS.small, 2)) {
      const p = planOf(s.a, s.b, s.transposeA, s.transposeB, SWIFTSHADER);
      if (p.kind === 'tiled') expect(['t64x64', 't32x32']).toContain(p.tile);
    }
  });

  it("mode 'tfjs', tiny products in 'auto', and forced plans", () => {
    setMatMulOptions({ mode: 'tfjs' });
    expect(planOf([256, 256], [256, 256], false, false).kind).toBe('tfjs');
    setMatMulOptions({ mode: 'auto' });
    expect(planOf([4, 4], [4, 4], false, false)).toMatchObject({ kind: 'tfjs', reason: expect.stringMatching(/below/) });
    setMatMulOptions({ mode: 'ours' });
    expect(planOf([4, 4], [4, 4], false, false).kind).not.toBe('tfjs');
    setMatMulOptions({ plan: { kind: 'tiled', tile: 't64x64', splitK: 4 } });
    expect(planOf([64, 1000], [1000, 64], false, false)).toMatchObject({ kind: 'tiled', tile: 't64x64', splitK: 4, kChunk: 256 });
    expect(() => setMatMulOptions({ mode: 'fast' as never })).toThrow(/mode 'fast'/);
  });
});

describe('describeMatMul', () => {
  const d = (a: number[], b: number[], extra: Record<string, unknown> = {}) =>
    describeMatMul({ a: info(a), b: info(b), transposeA: false, transposeB: false, ...extra });

  it('folds a batch against one matrix into rows, and keeps per-matrix strides otherwise', () => {
    expect(d([2, 3, 5, 4], [4, 6])).toMatchObject({
      ok: true,
      problem: { batch: 1, m: 30, strideA: 0, strideB: 0, folded: true, outShape: [2, 3, 5, 6] },
    });
    expect(d([5, 4], [3, 4, 6])).toMatchObject({ ok: true, problem: { batch: 3, m: 5, strideA: 0, strideB: 24, outShape: [3, 5, 6] } });
    expect(describeMatMul({ a: info([3, 4, 5]), b: info([1, 4, 6]), transposeA: true, transposeB: false })).toMatchObject({
      ok: true,
      problem: { batch: 3, m: 5, k: 4, strideA: 20, strideB: 0, folded: false },
    });
  });

  it('hands unsupported calls to TF.js with a reason', () => {
    expect(d([2, 1, 5, 4], [1, 3, 4, 6])).toMatchObject({ ok: false, reason: expect.stringMatching(/broadcast/) });
    expect(describeMatMul({ a: info([2, 3], 'int32'), b: info([3, 2], 'int32'), transposeA: false, transposeB: false })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/dtype/),
    });
    expect(d([1, 1, 2, 5, 4], [1, 1, 2, 4, 3])).toMatchObject({ ok: false, reason: expect.stringMatching(/rank > 4/) });
    expect(d([5, 4], [4, 6], { preluActivationWeights: info([6]) })).toMatchObject({ ok: false, reason: 'prelu activation' });
    expect(d([5, 4], [4, 6], { bias: info([5, 6]) })).toMatchObject({ ok: false, reason: expect.stringMatching(/bias shape/) });
    expect(d([5, 0], [0, 6])).toMatchObject({ ok: false, reason: 'an empty dimension' });
  });
});

describe('WGSL generators', () => {
  it('tiles are valid and fit 16 KiB of workgroup memory', () => {
    for (const t of Object.values(TILES)) {
      expect(() => validateTile(t)).not.toThrow();
      expect(tileWorkgroupBytes(t)).toBeLessThanOrEqual(16384);
    }
    expect(() => validateTile({ bm: 96, bn: 64, bk: 8, tm: 4, tn: 4 })).toThrow(/power of two/);
  });

  it("declares the uniforms in TF.js's order and types (NAN, INFINITY, shapes and strides, then ours)", () => {
    const s = tfjsUniformFields([2, 3, 1], 4, [{ name: 'M', type: 'u32' }]);
    expect(s.replace(/\s+/g, ' ')).toBe(
      'struct Uniforms { NAN: f32, INFINITY: f32, in0Shape: vec2<i32>, in0ShapeStrides: i32, in1Shape: vec3<i32>, in1ShapeStrides: vec2<i32>, ' +
        'in2Shape: i32, in2ShapeStrides: i32, outShape: vec4<i32>, outShapeStrides: vec3<i32>, M: u32, };',
    );
  });
});
