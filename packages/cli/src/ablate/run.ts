// One row of an ablation for one seed: build the variant's model on the suite's data, (pre-train,) train with the
// shared budget, evaluate, measure the inference cost (GFLOPs by count, clips/s by clock) and, on data that
// records apex frames, how often the selected tokens fall on the key moment.
import * as tf from '@tensorflow/tfjs-core';
import {
  adaToskFromSafetensors,
  apexPrecisionAtK,
  createAdaTosk,
  evaluate,
  meanApexPrecision,
  resolveConfig,
  train,
  type AdaToskModel,
  type ApexPrecision,
  type ClipDataset,
  type ClipSample,
  type VideoMAEConfig,
} from '@adatosk/core';
import { createDataset } from '@adatosk/datasets';
import { registerBuiltinMasks } from '@adatosk/masks';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { trainOptions } from '../commands/train.js';
import { evalDataOf, trainDataOf } from '../runtime/data.js';
import { openSplit } from '../runtime/datasets.js';

export interface RunRecord {
  variant: string;
  seed: number;
  /** Hash of the run's configuration: a result is reused only for the same configuration. */
  key: string;
  uar: number;
  war: number;
  /** Inference cost per clip by `AdaToskModel.inferenceFlops` and the full-token model's. */
  gflops: number;
  fullGflops: number;
  /** Encoder tokens at inference: visible after the hard mask and kept after selection. */
  tokens: { total: number; visible: number; kept: number };
  /** Measured inference throughput (wall clock, batch `eval.batchSize`) and CPU seconds per clip. */
  clipsPerSec: number;
  cpuMsPerClip: number;
  /**
   * Precision at k (k = a quarter of one slot's tokens) on apex slots of the final mask's and the class-agnostic
   * part's top tokens, next to the precision of k tokens drawn at random (chance).
   */
  apex?: { selected: number; classAgnostic?: number; chance: number; clips: number };
  trainSeconds: number;
  trainCpuSeconds: number;
  pretrainSeconds?: number;
  epochs: number;
  backend: string;
}

// Rows share their data: a split is opened (and its synthetic clips rendered) once per process.
const splits = new Map<string, Promise<ClipDataset>>();

/** The datasets of a configuration. Synthetic data is built exactly as configured (no quick-start profile). */
export function openAblationSplit(cfg: RunConfig, split: 'train' | 'test', model: VideoMAEConfig): Promise<ClipDataset> {
  const key = JSON.stringify({ data: cfg.data, split, frames: model.numFrames, size: model.imageSize });
  let ds = splits.get(key);
  if (!ds) {
    ds = openUncached(cfg, split, model);
    splits.set(key, ds);
    ds.catch(() => splits.delete(key));
  }
  return ds;
}

async function openUncached(cfg: RunConfig, split: 'train' | 'test', model: VideoMAEConfig): Promise<ClipDataset> {
  const d = cfg.data;
  if (d.name !== 'synthetic')
    return openSplit(
      cfg,
      split,
      { numFrames: model.numFrames, imageSize: model.imageSize },
      typeof d.fold === 'number' ? d.fold : undefined,
    );
  try {
    return await (createDataset as (n: string, o: unknown) => Promise<ClipDataset>)('synthetic', {
      split,
      numClips: split === 'train' ? d.trainClips : d.testClips,
      numFrames: model.numFrames,
      size: model.imageSize,
      seed: 0,
      ...d.options,
    });
  } catch (e) {
    throw new CliError(`data.options: ${(e as Error).message}`, 2);
  }
}

/** The backbone config of a configuration: the preset and overrides as given, the dataset's classes. */
export function ablationModelConfig(cfg: RunConfig, classes: readonly string[]): VideoMAEConfig {
  try {
    return resolveConfig(cfg.model.preset, {
      ...(cfg.model.overrides as Partial<VideoMAEConfig>),
      numClasses: classes.length,
      labels: [...classes],
    });
  } catch (e) {
    throw new CliError(`model.overrides: ${(e as Error).message}`, 2);
  }
}

/** The model of a configuration, fresh or on `init` weights (HF layout bytes). AdaTosk options as given. */
export async function ablationModel(cfg: RunConfig, config: VideoMAEConfig, init?: Uint8Array): Promise<AdaToskModel> {
  registerBuiltinMasks();
  const options = { seed: cfg.train.seed, ...cfg.model.adatosk } as Parameters<typeof createAdaTosk>[1];
  try {
    if (!init) return createAdaTosk(config, { initSeed: cfg.train.seed, ...options });
    return await adaToskFromSafetensors(config, init, {
      ...options,
      load: { strict: false, seed: cfg.train.seed, source: 'pre-trained weights' },
    } as Parameters<typeof adaToskFromSafetensors>[2]);
  } catch (e) {
    throw new CliError(`model.adatosk: ${(e as Error).message}`, 2);
  }
}

/** Clips/s of `predict` on one batch (after a warm-up pass), wall clock and CPU time. */
export async function measureInference(
  model: AdaToskModel,
  clips: tf.Tensor5D,
  reps = 5,
): Promise<{ clipsPerSec: number; cpuMsPerClip: number }> {
  const run = async () => {
    const { logits, probs } = model.predict(clips);
    try {
      await probs.data();
    } finally {
      tf.dispose([logits, probs]);
    }
  };
  await run();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const n = clips.shape[0] * reps;
  return { clipsPerSec: (n * 1000) / ms, cpuMsPerClip: (cpu.user + cpu.system) / 1000 / n };
}

/** Precision at k of the final mask's (and the class-agnostic part's) top tokens on the apex slots of the test clips. */
export async function apexPrecision(model: AdaToskModel, test: ClipDataset, batchSize: number, maxClips = 280): Promise<RunRecord['apex']> {
  if (!model.selects) return undefined;
  const selected: (ApexPrecision | undefined)[] = [];
  const agnostic: (ApexPrecision | undefined)[] = [];
  const n = Math.min(test.length, maxClips);
  const { tubeletSize } = model.config;
  for (let start = 0; start < n; start += batchSize) {
    const samples: ClipSample[] = [];
    for (let i = start; i < Math.min(n, start + batchSize); i++) samples.push(await test.load(i, { mode: 'test', view: 0 }));
    if (!samples.some((s) => s.apexFrames !== undefined)) return undefined;
    const [T, H, W] = samples[0]!.shape;
    const data = new Float32Array(samples.length * T * H * W * 3);
    samples.forEach((s, j) => data.set(s.frames, j * T * H * W * 3));
    const clips = tf.tensor5d(data, [samples.length, T, H, W, 3]);
    const report = await model.softMasks(clips).finally(() => clips.dispose());
    const perSlot = report.grid.height * report.grid.width;
    samples.forEach((s, j) => {
      const apexFrames = s.apexFrames ?? [];
      // The top quarter of one slot's worth of tokens: a key moment fills one or two slots, and only the
      // face's patches in them change, so a larger k would be capped far below 1 whatever the mask.
      const k = Math.max(1, Math.round(perSlot / 4));
      const common = { visible: report.visible[j]!, k, apexFrames, tokensPerSlot: perSlot, tubeletSize };
      selected.push(apexPrecisionAtK({ ...common, scores: report.final[j]! }));
      if (report.ca) agnostic.push(apexPrecisionAtK({ ...common, scores: report.ca[j]! }));
    });
  }
  const sel = meanApexPrecision(selected);
  if (sel.clips === 0) return undefined;
  const ca = agnostic.length ? meanApexPrecision(agnostic) : undefined;
  return { selected: sel.precision, ...(ca ? { classAgnostic: ca.precision } : {}), chance: sel.chance, clips: sel.clips };
}

export interface RunOneOptions {
  cfg: RunConfig;
  variant: string;
  key: string;
  backend: string;
  /** Weights to fine-tune from (pre-training), and what producing them cost. */
  init?: { bytes: Uint8Array; seconds: number };
  signal?: AbortSignal;
  onEvent?: Parameters<typeof train>[3] extends infer H ? (H extends { onEvent?: infer F } ? F : never) : never;
}

/** Trains and measures one (variant, seed). */
export async function runOne(o: RunOneOptions): Promise<RunRecord> {
  const { cfg } = o;
  const probe = await openAblationSplit(cfg, 'train', resolveConfig(cfg.model.preset, cfg.model.overrides as Partial<VideoMAEConfig>));
  const config = ablationModelConfig(cfg, probe.classes);
  const trainSet = probe;
  const testSet = await openAblationSplit(cfg, 'test', config);
  const model = await ablationModel(cfg, config, o.init?.bytes);
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await train(
      model,
      trainDataOf(trainSet, cfg.data.concurrency),
      { ...trainOptions(cfg), evalEvery: 0 },
      {
        onEvent: o.onEvent,
        evaluate: async () => evaluate(model, evalDataOf(testSet, cfg.data.concurrency), { batchSize: cfg.eval.batchSize }),
        signal: o.signal,
      },
    );
    if (result.aborted || !result.last) throw new CliError('interrupted', 130);
    const trainSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const flops = model.inferenceFlops();
    const batch = await evalDataOf(testSet, cfg.data.concurrency).loadViews(
      Array.from({ length: Math.min(testSet.length, cfg.eval.batchSize) }, (_, i) => i),
    );
    const speed = await measureInference(model, batch.clips).finally(() => batch.clips.dispose());
    const apex = await apexPrecision(model, testSet, cfg.eval.batchSize);
    return {
      variant: o.variant,
      seed: cfg.train.seed,
      key: o.key,
      uar: result.last.uar,
      war: result.last.war,
      gflops: flops.adatosk.gflops,
      fullGflops: flops.full.gflops,
      tokens: { total: flops.adatosk.tokens.total, visible: flops.adatosk.tokens.visible, kept: flops.adatosk.tokens.kept },
      ...speed,
      ...(apex ? { apex } : {}),
      trainSeconds,
      trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
      ...(o.init ? { pretrainSeconds: o.init.seconds } : {}),
      epochs: cfg.train.epochs,
      backend: o.backend,
    };
  } finally {
    model.dispose();
  }
}
