// `adatosk bench --profile`: how many TF.js kernels one training step and one inference batch run, their GPU
// time by kernel (where the WebGPU adapter has timestamp queries) and the peak tensor memory inside a step.
// Counts are what tf.profile records: every kernel the engine runs (a fused kernel with several dispatches
// counts once, as TF.js's own per-kernel CPU cost is paid once).
import * as tf from '@tensorflow/tfjs-core';

export interface BenchProfile {
  /** Kernels of one training step (the second of two, so one-time setup is not counted). */
  kernelsPerStep: number;
  /** Kernels of one inference batch (`predict` and its read). */
  kernelsPerInference: number;
  /** GPU milliseconds by kernel name over that step and that batch; null without timestamp queries. */
  gpuMsByKernel: Record<string, number> | null;
  /**
   * Most tensor memory alive at once during the two profiled training steps: tf.profile's peak, which counts
   * every tensor's bytes, also tensors that share data (clones the tape saves, reshapes).
   */
  peakTensorMiB: number;
  /** WebGPU only: most GPU buffer memory in use at once during those steps (distinct buffers, after each kernel). */
  peakGpuMiB?: number;
  /** Kernel counts by name: what the totals are made of. */
  kernelsByName: { step: Record<string, number>; inference: Record<string, number> };
}

type Kernel = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

interface ActiveProfile {
  kernels?: unknown[];
}

function activeProfile(): ActiveProfile | undefined {
  return (tf.engine().state as unknown as { activeProfile?: ActiveProfile }).activeProfile;
}

/** Kernels recorded so far by the tf.profile in progress (its list grows while the query runs). */
function recordedSoFar(): number {
  return activeProfile()?.kernels?.length ?? 0;
}

/**
 * Samples WebGPU's buffer memory in use after every kernel of the tf.profile in progress (the engine records
 * each kernel into the profile's list: the sample rides on that push). Returns the peak in bytes so far.
 */
function watchGpuMemory(): (() => number) | undefined {
  const list = activeProfile()?.kernels;
  if (tf.getBackend() !== 'webgpu' || !list) return undefined;
  const inUse = () => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? 0;
  let peak = inUse();
  const push = list.push.bind(list);
  list.push = (...items: unknown[]) => {
    peak = Math.max(peak, inUse());
    return push(...items);
  };
  return () => peak;
}

/** True when the active backend times kernels on the GPU (WebGPU with the timestamp-query feature). */
export function hasGpuTimestamps(): boolean {
  return tf.getBackend() === 'webgpu' && (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
}

function countByName(kernels: readonly Kernel[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kernels) out[k.name] = (out[k.name] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

function msByName(kernels: readonly Kernel[], into: Record<string, number>): void {
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    into[k.name] = (into[k.name] ?? 0) + ms;
  }
}

/**
 * Profiles `trainSteps(2, onStep)` (which must call `onStep` after each optimiser step) and `infer()`.
 * Run it apart from the timed runs: under tf.profile, WebGPU ends a compute pass after every dispatch.
 */
export async function profileBench(
  trainSteps: (steps: number, onStep: () => void) => Promise<void>,
  infer: () => Promise<void>,
): Promise<BenchProfile> {
  const marks: number[] = [];
  let gpuPeak: (() => number) | undefined;
  const stepRun = await tf.profile(() => {
    gpuPeak = watchGpuMemory();
    return trainSteps(2, () => marks.push(recordedSoFar()));
  });
  if (marks.length < 2) throw new Error(`profile: expected 2 training steps, saw ${marks.length}`);
  const step = stepRun.kernels.slice(marks[0], marks[1]);
  const inferRun = await tf.profile(infer);
  const gpu = hasGpuTimestamps();
  let gpuMsByKernel: Record<string, number> | null = null;
  if (gpu) {
    gpuMsByKernel = {};
    msByName(step, gpuMsByKernel);
    msByName(inferRun.kernels, gpuMsByKernel);
    gpuMsByKernel = Object.fromEntries(
      Object.entries(gpuMsByKernel)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
    );
  }
  return {
    kernelsPerStep: step.length,
    kernelsPerInference: inferRun.kernels.length,
    gpuMsByKernel,
    peakTensorMiB: stepRun.peakBytes / 2 ** 20,
    ...(gpuPeak ? { peakGpuMiB: gpuPeak() / 2 ** 20 } : {}),
    kernelsByName: { step: countByName(step), inference: countByName(inferRun.kernels) },
  };
}
