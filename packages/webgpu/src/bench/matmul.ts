// The matmul micro-benchmark (`adatosk bench --kernels`): every product of an AdaTosk training step, our
// kernels (the planner's choice, as training runs them) against TF.js's own, in TFLOP/s. GPU time comes from
// timestamp queries (`tf.time`'s kernelMs) where the device has them; wall time over back-to-back
// repetitions with one sync at the end is always reported too.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { installWebGPUKernels, listWebGPUKernels, uninstallWebGPUKernels } from '../registry.js';
import { adapterProfile, type AdapterProfile } from '../matmul/adapter.js';
import { getMatMulOptions, setMatMulOptions } from '../matmul/options.js';
import { planMatMul } from '../matmul/plan.js';
import { describeMatMul } from '../matmul/problem.js';
import { MODEL_WIDTHS, trainingMatMuls, type MatMulBenchShape, type MatMulShapeClass, type ShapeListOptions } from './matmul-shapes.js';

export interface MatMulBenchOptions extends ShapeListOptions {
  /** Model widths (default 'base'). */
  preset?: 'base' | 'small';
  /** Clips per step (default 32 and 8). */
  batchSizes?: readonly number[];
  /** Only these shape classes (default all). */
  classes?: readonly MatMulShapeClass[];
  /** Products to measure instead of the preset's (batch reported as 0). */
  shapes?: readonly MatMulBenchShape[];
  /** Timed repetitions per product and kernel (default 5, after one warm-up run). */
  reps?: number;
  /** Also time TF.js's kernel (default true). */
  compare?: boolean;
  /** Called after each product (progress). */
  onRow?: (row: MatMulBenchRow) => void;
}

export interface MatMulTiming {
  /** Median GPU time of one product (timestamp queries), when the device has them. */
  gpuMs?: number;
  /** Wall time of one product: `reps` back to back, one sync, divided by `reps` (includes TF.js's dispatch cost). */
  wallMs: number;
  /** From gpuMs where measured, else wallMs. */
  tflops: number;
}

export interface MatMulBenchRow {
  batch: number;
  name: string;
  shapeClass: MatMulShapeClass;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  bias: boolean;
  gflop: number;
  /** What our kernel did: e.g. `tiled t128x128`, `tiled t64x64 splitK=6`, `dot 32 subgroup`, `tfjs (reason)`. */
  plan: string;
  ours?: MatMulTiming;
  tfjs?: MatMulTiming;
  /** tfjs time / our time. */
  speedup?: number;
  error?: string;
}

export interface MatMulBenchSummary {
  batch: number;
  shapeClass: MatMulShapeClass;
  gflop: number;
  /** Total flops over total time of the class (ours / TF.js). */
  oursTflops: number;
  tfjsTflops?: number;
  speedup?: number;
}

export interface MatMulBenchResult {
  adapter: Pick<AdapterProfile, 'vendor' | 'architecture' | 'kind' | 'subgroups' | 'subgroupSize' | 'timestampQuery'>;
  /** What `tflops` is computed from. */
  timing: 'gpu-timestamp' | 'wall';
  reps: number;
  rows: MatMulBenchRow[];
  summary: MatMulBenchSummary[];
}

const MATMUL_KERNELS = [tf.BatchMatMul, tf._FusedMatMul];

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Waits until everything queued before has run, by reading back one element of `t`. */
async function sync(t: tf.Tensor): Promise<void> {
  const flat = tf.reshape(t, [-1]);
  const one = tf.slice(flat, 0, 1);
  await one.data();
  tf.dispose([flat, one]);
}

async function timeProduct(run: () => tf.Tensor, reps: number, flops: number, timestamps: boolean): Promise<MatMulTiming> {
  const warm = run(); // compiles the pipelines
  await sync(warm);
  warm.dispose();
  let gpuMs: number | undefined;
  if (timestamps) {
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      let out: tf.Tensor | undefined;
      const info = await tf.time(() => {
        out = run();
      });
      await sync(out!);
      out!.dispose();
      times.push(info.kernelMs as number);
    }
    gpuMs = median(times);
    if (!(gpuMs > 0)) gpuMs = undefined;
  }
  const t0 = performance.now();
  let last: tf.Tensor | undefined;
  for (let r = 0; r < reps; r++) {
    last?.dispose();
    last = run();
  }
  await sync(last!);
  const wallMs = (performance.now() - t0) / reps;
  last!.dispose();
  return { gpuMs, wallMs, tflops: flops / ((gpuMs ?? wallMs) * 1e9) };
}

function planLabel(backend: WebGPUBackend, s: MatMulBenchShape): string {
  const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
  const n = s.transposeB ? s.b[s.b.length - 2] : s.b[s.b.length - 1];
  const check = describeMatMul({
    a: info(s.a),
    b: info(s.b),
    transposeA: s.transposeA,
    transposeB: s.transposeB,
    bias: s.bias ? info([n]) : undefined,
  });
  if (!check.ok) return `tfjs (${check.reason})`;
  const plan = planMatMul(check.problem, adapterProfile(backend), getMatMulOptions());
  if (plan.kind === 'tfjs') return `tfjs (${plan.reason})`;
  if (plan.kind === 'dot') return `dot ${plan.threads}${plan.subgroup ? ' subgroup' : ''}`;
  return `tiled ${plan.tile}${plan.splitK > 1 ? ` splitK=${plan.splitK}` : ''}`;
}

function summarize(rows: MatMulBenchRow[]): MatMulBenchSummary[] {
  const groups = new Map<string, MatMulBenchRow[]>();
  for (const r of rows) if (r.ours) groups.set(`${r.batch}|${r.shapeClass}`, [...(groups.get(`${r.batch}|${r.shapeClass}`) ?? []), r]);
  return [...groups.values()].map((rs) => {
    const gflop = rs.reduce((p, r) => p + r.gflop, 0);
    const time = (pick: (r: MatMulBenchRow) => MatMulTiming | undefined) =>
      rs.every((r) => pick(r)) ? rs.reduce((p, r) => p + r.gflop / pick(r)!.tflops, 0) : undefined; // ms
    const ours = time((r) => r.ours)!;
    const theirs = time((r) => r.tfjs);
    return {
      batch: rs[0].batch,
      shapeClass: rs[0].shapeClass,
      gflop,
      oursTflops: gflop / ours,
      ...(theirs !== undefined ? { tfjsTflops: gflop / theirs, speedup: theirs / ours } : {}),
    };
  });
}

/**
 * Times every product of an AdaTosk training step on the active WebGPU backend, ours against TF.js's.
 * Installs our matmul kernels for the run if they were not installed (and uninstalls them after); restores
 * the matmul options. Inputs are constant-filled on the device (the values do not change the work).
 */
export async function benchmarkMatMuls(options: MatMulBenchOptions = {}): Promise<MatMulBenchResult> {
  if (tf.getBackend() !== 'webgpu')
    throw new Error(`benchmarkMatMuls needs the webgpu backend (active: ${tf.getBackend()}); select it first, e.g. selectDevice('webgpu')`);
  const backend = tf.backend() as unknown as WebGPUBackend;
  const profile = adapterProfile(backend);
  const reps = Math.max(1, options.reps ?? 5);
  const compare = options.compare ?? true;
  const widths = MODEL_WIDTHS[options.preset ?? 'base'];
  const jobs: { batch: number; shape: MatMulBenchShape }[] = options.shapes
    ? options.shapes.map((shape) => ({ batch: 0, shape }))
    : (options.batchSizes ?? [32, 8]).flatMap((batch) => trainingMatMuls(widths, batch, options).map((shape) => ({ batch, shape })));
  const wanted = jobs.filter((j) => !options.classes || options.classes.includes(j.shape.shapeClass));
  const installedBefore = new Set(
    listWebGPUKernels()
      .filter((k) => k.installed)
      .map((k) => k.kernelName),
  );
  installWebGPUKernels({ only: MATMUL_KERNELS });
  const optionsBefore = setMatMulOptions({});
  const rows: MatMulBenchRow[] = [];
  try {
    for (const { batch, shape: s } of wanted) {
      const n = s.transposeB ? s.b[s.b.length - 2] : s.b[s.b.length - 1];
      const kDim = s.transposeA ? s.a[s.a.length - 2] : s.a[s.a.length - 1];
      const row: MatMulBenchRow = {
        batch,
        name: s.name,
        shapeClass: s.shapeClass,
        a: s.a,
        b: s.b,
        transposeA: s.transposeA,
        transposeB: s.transposeB,
        bias: s.bias,
        gflop: s.flops / 1e9,
        plan: '',
      };
      const a = tf.fill(s.a, 1 / Math.sqrt(kDim));
      const b = tf.fill(s.b, 0.5);
      const bias = s.bias ? tf.fill([n], 0.25) : undefined;
      const run = () =>
        bias
          ? tf.fused.matMul({ a, b, transposeA: s.transposeA, transposeB: s.transposeB, bias })
          : tf.matMul(a, b, s.transposeA, s.transposeB);
      try {
        setMatMulOptions({ ...optionsBefore, mode: 'auto', plan: undefined });
        row.plan = planLabel(backend, s);
        row.ours = await timeProduct(run, reps, s.flops, profile.timestampQuery);
        if (compare) {
          setMatMulOptions({ mode: 'tfjs' });
          row.tfjs = await timeProduct(run, reps, s.flops, profile.timestampQuery);
          row.speedup = row.ours.tflops / row.tfjs.tflops;
        }
      } catch (e) {
        row.error = (e as Error).message;
      } finally {
        tf.dispose([a, b, ...(bias ? [bias] : [])]);
      }
      rows.push(row);
      options.onRow?.(row);
    }
  } finally {
    setMatMulOptions(optionsBefore);
    if (optionsBefore.plan === undefined) setMatMulOptions({ plan: undefined });
    uninstallWebGPUKernels(MATMUL_KERNELS.filter((k) => !installedBefore.has(k)));
  }
  return {
    adapter: {
      vendor: profile.vendor,
      architecture: profile.architecture,
      kind: profile.kind,
      subgroups: profile.subgroups,
      subgroupSize: profile.subgroupSize,
      timestampQuery: profile.timestampQuery,
    },
    timing: profile.timestampQuery && rows.some((r) => r.ours?.gpuMs !== undefined) ? 'gpu-timestamp' : 'wall',
    reps,
    rows,
    summary: summarize(rows),
  };
}
