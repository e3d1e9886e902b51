// `adatosk bench --kernels`: the WebGPU matmul micro-benchmark (every product of an AdaTosk training step,
// @adatosk/webgpu's kernels against TF.js's, TFLOP/s). Runs on a WebGPU device created with the features
// our kernels use (subgroups) where the adapter has them.
import * as tf from '@tensorflow/tfjs-core';
import { benchmarkMatMuls, registerWebGPUBackendWithKernelFeatures, type MatMulBenchResult, type MatMulBenchRow } from '@adatosk/webgpu';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { useBackend } from '../runtime/backend.js';

export interface KernelBenchCliOptions {
  /** Model widths: 'small', else base. */
  preset?: string;
  /** One batch size (default: 32 and 8). */
  batchSize?: number;
  /** Timed repetitions per product (default 5). */
  reps?: number;
  backend?: string;
  json?: boolean;
  io?: Io;
}

const fmt = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));

function rowLine(r: MatMulBenchRow): string {
  if (r.error) return `  ${String(r.batch).padStart(3)} ${r.name.padEnd(30)} error: ${r.error}`;
  return `  ${String(r.batch).padStart(3)} ${r.name.padEnd(30)} ${fmt(r.gflop, 1).padStart(8)} ${fmt(r.ours?.tflops).padStart(8)} ${fmt(r.tfjs?.tflops).padStart(8)} ${fmt(r.speedup).padStart(7)}x  ${r.plan}`;
}

export async function runKernelBench(opts: KernelBenchCliOptions = {}): Promise<MatMulBenchResult> {
  const io = opts.io ?? processIo;
  const device = opts.backend ?? 'webgpu';
  if (device !== 'webgpu') throw new CliError(`--kernels benchmarks the WebGPU matmul kernels: use --backend webgpu (got '${device}')`, 2);
  await useBackend('webgpu');
  await registerWebGPUBackendWithKernelFeatures({ replace: true });
  if (!(await tf.setBackend('webgpu'))) throw new CliError('backend webgpu failed to initialise with the kernel features', 2);
  io.err(
    `  ${'B'.padStart(3)} ${'product'.padEnd(30)} ${'GFLOP'.padStart(8)} ${'ours'.padStart(8)} ${'tfjs'.padStart(8)} ${'speedup'.padStart(8)}  plan   (TFLOP/s)`,
  );
  const result = await benchmarkMatMuls({
    preset: opts.preset === 'small' ? 'small' : 'base',
    batchSizes: opts.batchSize !== undefined ? [opts.batchSize] : undefined,
    reps: opts.reps,
    // Progress on stderr in both modes (stdout stays one JSON object), so a run cut short still shows rows.
    onRow: (r) => io.err(rowLine(r)),
  });
  if (opts.json) io.out(JSON.stringify({ kernels: 'matmul', preset: opts.preset === 'small' ? 'small' : 'base', ...result }));
  else {
    const a = result.adapter;
    io.out(
      `matmul kernels on ${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'webgpu'} (${a.kind}; subgroups ${a.subgroups ? `on, size ${a.subgroupSize ?? 'varies'}` : 'off'}; ${result.timing === 'gpu-timestamp' ? 'GPU timestamps' : 'wall time'})`,
    );
    for (const s of result.summary)
      io.out(
        `  batch ${String(s.batch).padStart(2)} ${s.shapeClass.padEnd(11)} ours ${fmt(s.oursTflops).padStart(6)} TFLOP/s  tfjs ${fmt(s.tfjsTflops).padStart(6)} TFLOP/s  ${fmt(s.speedup)}x`,
      );
  }
  return result;
}
