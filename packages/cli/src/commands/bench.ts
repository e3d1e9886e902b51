// `adatosk bench`: training and inference clips/s, GFLOPs, parameters and peak memory for a preset on a backend;
// optionally the dataset pipeline's throughput.
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import { countFlops, countParams, memoryBudget, train } from '@adatosk/core';
import { benchmarkPipeline, type BenchmarkResult } from '@adatosk/datasets';
import { backendArgs, num, outputArgs } from '../args.js';
import { benchClips } from '../bench/data.js';
import { profileBench, type BenchProfile } from '../bench/profile.js';
import { validateConfig } from '../config/load.js';
import { processIo, type Io } from '../io.js';
import { useBackend } from '../runtime/backend.js';
import { runKernelBench } from '../bench/kernels.js';
import { buildModel, modelConfigOf } from '../runtime/model.js';
import { pipelineArgs, pipelineOptions, runPipelineBench } from '../bench/pipeline.js';

export interface BenchCliOptions {
  preset?: 'tiny' | 'small' | 'base';
  backend?: string;
  /** Timed training steps (after one warm-up step, which also measures the peak tensor memory). */
  steps?: number;
  batchSize?: number;
  /** Also benchmark the dataset pipeline. */
  datasets?: boolean;
  /** Also count kernels per step and per inference batch, GPU time by kernel, peak tensor memory (`profile`). */
  profile?: boolean;
  /** Frames per clip and frame size (default: the preset's). Kernel counts barely depend on them. */
  frames?: number;
  size?: number;
  /** Other preset fields to replace (programmatic only, e.g. narrower widths for kernel counts in tests). */
  overrides?: Record<string, unknown>;
  json?: boolean;
  io?: Io;
}

export interface BenchResult {
  preset: string;
  backend: string;
  input: { frames: number; size: number; batchSize: number };
  params: { total: number; encoder: number };
  gflops: { full: number; adatosk: number };
  train: { clipsPerSec: number; msPerStep: number; steps: number; error?: string };
  inference: { clipsPerSec: number; msPerBatch: number };
  /**
   * `peakTensorMiB`: the most tensor memory alive at once, inside steps included (tf.profile's peak);
   * `wasmHeapMiB`: the WASM backend's heap after the run (it only grows; 32-bit WASM stops at 4 GiB).
   */
  memory: { peakTensorMiB: number; peakRssMiB: number; wasmHeapMiB?: number; budget?: { MiB: number; source: string } };
  pipeline?: BenchmarkResult;
  profile?: BenchProfile;
}

export async function runBench(opts: BenchCliOptions = {}): Promise<BenchResult> {
  const io = opts.io ?? processIo;
  const preset = opts.preset ?? 'tiny';
  const overrides = {
    ...opts.overrides,
    ...(opts.frames ? { numFrames: opts.frames } : {}),
    ...(opts.size ? { imageSize: opts.size } : {}),
  };
  const cfg = validateConfig({ model: { preset, overrides }, backend: opts.backend ?? 'auto' });
  const backend = await useBackend(cfg.backend, io);
  const mc = modelConfigOf(cfg, undefined, { corePreset: true });
  const B = opts.batchSize ?? (preset === 'tiny' ? 8 : 2);
  const steps = Math.max(1, opts.steps ?? 3);
  const classes = Array.from({ length: mc.numClasses }, (_, i) => `class${i}`);
  const model = await buildModel(cfg, classes, { corePreset: true });
  let peakBytes = 0;
  const sample = () => (peakBytes = Math.max(peakBytes, tf.memory().numBytes));
  // The warm-up runs under tf.profile, whose peak covers the inside of a step (activations and gradients),
  // not just the moments between steps. Not on WebGPU: its profiling timers would change what is measured.
  const canProfile = backend !== 'webgpu';
  const warmUp = async (f: () => Promise<void>) => {
    if (!canProfile) return f();
    const info = await tf.profile(f);
    peakBytes = Math.max(peakBytes, info.peakBytes);
  };
  const [T, S] = [mc.numFrames, mc.imageSize];
  // Clips made once, on the device: the timed steps run the model, not a clip generator.
  const pool = benchClips(B, T, S, mc.numClasses);
  const clips = pool.clips;
  // Asynchronous reads only: WebGPU in Node cannot read synchronously.
  const infer = async () => {
    const { logits, probs } = model.predict(clips);
    try {
      await probs.data();
    } finally {
      tf.dispose([logits, probs]);
    }
    sample();
  };
  await warmUp(infer);
  const reps = 3;
  const i0 = Date.now();
  for (let r = 0; r < reps; r++) await infer();
  const msPerBatch = (Date.now() - i0) / reps;
  const stepMs: number[] = [];
  let trainError: string | undefined;
  let profile: BenchProfile | undefined;
  const trainSteps = async (n: number, timed: boolean, onStep?: () => void) => {
    let last = 0;
    await train(
      model,
      pool.data(B * n),
      { epochs: 1, batchSize: B, lr: 1e-4, seed: 0 },
      {
        onEvent: (e) => {
          if (e.type === 'start') last = Date.now();
          if (e.type === 'step') {
            const now = Date.now();
            if (timed) stepMs.push(now - last);
            last = now;
            sample();
            onStep?.();
          }
        },
      },
    );
  };
  try {
    await warmUp(() => trainSteps(1, false));
    await trainSteps(steps, true);
    if (opts.profile) profile = await profileBench((n, onStep) => trainSteps(n, false, onStep), infer);
  } catch (e) {
    trainError = `training failed on ${backend}: ${(e as Error).message} (try a smaller --batch-size or another backend)`;
  }
  const timed = stepMs;
  const msPerStep = timed.reduce((a, b) => a + b, 0) / Math.max(1, timed.length);
  if (!trainError) model.dispose();
  pool.dispose();
  const params = countParams(mc, { includeDecoder: true, includeClassifier: true });
  const encoder = countParams(mc, { includeDecoder: false, includeClassifier: true });
  const full = countFlops(mc, { includeDecoder: false, includeClassifier: true });
  const ada = countFlops(mc, { includeDecoder: false, includeClassifier: true, hiddenRatio: 0.5 });
  const result: BenchResult = {
    preset,
    backend,
    input: { frames: T, size: S, batchSize: B },
    params: { total: params.total, encoder: encoder.total },
    gflops: { full: full.gflops, adatosk: ada.gflops },
    train: trainError
      ? { clipsPerSec: NaN, msPerStep: NaN, steps: 0, error: trainError }
      : { clipsPerSec: (B * 1000) / msPerStep, msPerStep, steps: timed.length },
    inference: { clipsPerSec: (B * 1000) / msPerBatch, msPerBatch },
    memory: { peakTensorMiB: peakBytes / 2 ** 20, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...wasmHeap(), budget: budgetOf() },
  };
  if (profile) {
    result.profile = profile;
    result.memory.peakTensorMiB = Math.max(result.memory.peakTensorMiB, profile.peakTensorMiB);
  }
  if (opts.datasets) {
    result.pipeline = await benchmarkPipeline({ clips: 64, numFrames: T, size: S, batchSize: B, concurrency: 2 });
  }
  if (opts.json) io.out(JSON.stringify(result));
  else {
    io.out(`bench ${preset} on ${backend} (${T}x${S}x${S}, batch ${B})`);
    io.out(
      `  parameters   ${(result.params.total / 1e6).toFixed(2)} M (encoder + classifier ${(result.params.encoder / 1e6).toFixed(2)} M)`,
    );
    io.out(`  GFLOPs/clip  ${result.gflops.full.toFixed(3)} all tokens, ${result.gflops.adatosk.toFixed(3)} with half the tokens hidden`);
    io.out(
      result.train.error
        ? `  training     ${result.train.error}`
        : `  training     ${result.train.clipsPerSec.toFixed(2)} clips/s (${msPerStep.toFixed(0)} ms/step over ${timed.length} steps)`,
    );
    io.out(`  inference    ${result.inference.clipsPerSec.toFixed(2)} clips/s (${msPerBatch.toFixed(0)} ms/batch)`);
    const heap = result.memory.wasmHeapMiB === undefined ? '' : `, WASM heap ${result.memory.wasmHeapMiB.toFixed(0)} MiB`;
    io.out(
      `  memory       peak tensors ${result.memory.peakTensorMiB.toFixed(0)} MiB, peak RSS ${result.memory.peakRssMiB.toFixed(0)} MiB${heap}`,
    );
    if (profile) {
      io.out(`  kernels      ${profile.kernelsPerStep} per training step, ${profile.kernelsPerInference} per inference batch`);
      if (profile.gpuMsByKernel)
        io.out(
          `  GPU time     ${Object.entries(profile.gpuMsByKernel)
            .slice(0, 8)
            .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
            .join(', ')}`,
        );
    }
    if (result.pipeline)
      io.out(
        `  pipeline     ${result.pipeline.clipsPerSecond.toFixed(1)} clips/s (${result.pipeline.framesPerSecond.toFixed(0)} frames/s, ${result.pipeline.cores} cores)`,
      );
  }
  return result;
}

/** The memory budget recomputeBlocks 'auto' fits a step into (see docs/webgpu.md). */
function budgetOf(): { MiB: number; source: string } {
  const b = memoryBudget();
  return { MiB: b.bytes / 2 ** 20, source: b.source };
}

/** The WASM backend's heap size (only when it is the active backend). */
function wasmHeap(): { wasmHeapMiB?: number } {
  if (tf.getBackend() !== 'wasm') return {};
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? { wasmHeapMiB: heap.buffer.byteLength / 2 ** 20 } : {};
}

export default defineCommand({
  meta: { name: 'bench', description: 'Benchmark a preset: training/inference clips/s, GFLOPs, parameters, peak memory' },
  args: {
    preset: { type: 'enum', options: ['tiny', 'small', 'base'], default: 'tiny', description: 'Backbone preset' },
    steps: { type: 'string', description: 'Timed training steps (default 3)', valueHint: 'n' },
    'batch-size': { type: 'string', alias: 'b', description: 'Clips per step (default 8 for tiny, 2 otherwise)', valueHint: 'n' },
    datasets: { type: 'boolean', default: false, description: 'Also benchmark the dataset pipeline' },
    profile: {
      type: 'boolean',
      default: false,
      description: 'Also count kernels per step/inference, GPU ms by kernel, peak tensor memory',
    },
    frames: { type: 'string', description: "Frames per clip (default: the preset's)", valueHint: 'n' },
    size: { type: 'string', description: "Frame height and width (default: the preset's)", valueHint: 'px' },
    kernels: {
      type: 'boolean',
      default: false,
      description:
        'Instead: the WebGPU matmul kernels, ours vs TF.js in TFLOP/s (base widths unless --preset small; --steps = repetitions)',
    },
    ...pipelineArgs,
    ...backendArgs,
    ...outputArgs,
  },
  async run({ args }) {
    if (args.kernels) {
      await runKernelBench({
        preset: args.preset,
        batchSize: num('batch-size', args['batch-size']),
        reps: num('steps', args.steps),
        backend: args.backend ?? 'webgpu',
        json: args.json,
      });
      return;
    }
    if (args.pipeline) return void (await runPipelineBench(pipelineOptions(args)));
    await runBench({
      preset: args.preset as BenchCliOptions['preset'],
      steps: num('steps', args.steps),
      batchSize: num('batch-size', args['batch-size']),
      datasets: args.datasets,
      backend: args.backend,
      json: args.json,
      profile: args.profile,
      frames: num('frames', args.frames),
      size: num('size', args.size),
    });
  },
});
