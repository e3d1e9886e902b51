// `adatosk pretrain` as a library: VideoMAE self-supervised pre-training (tube hard mask, 90% hidden by default,
// decoder, normalised-pixel loss) on unlabelled clips from any dataset loader or a folder of videos. The run
// folder holds resumable checkpoints and, at the end, `model.safetensors` (encoder + decoder) that
// `adatosk train --init <run folder>` fine-tunes.
import { dirname, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeEntry,
  decodeTrainState,
  readSafetensors,
  train,
  writeSafetensors,
  type AdaToskModel,
  type ClipDataset,
  type TrainEvent,
  type TrainState,
  type WritableTensor,
} from '@adatosk/core';
import { loadConfig, mergeConfig, validateConfig } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { humanReporter, jsonReporter } from '../render/progress.js';
import { writeFileAtomic } from '../run/atomic.js';
import { linkLatest, RunStore, readCheckpointBytes, resolveCheckpoint, timestampName } from '../run/store.js';
import { useBackend } from '../runtime/backend.js';
import { trainDataOf, type SkipCounter } from '../runtime/data.js';
import { openSplit } from '../runtime/datasets.js';
import { createOrLoadModel, modelConfigOf, modelInput } from '../runtime/model.js';
import { loadPlugins } from '../runtime/plugins.js';
import { trainOptions } from '../commands/train.js';
import { PRETRAINED_WEIGHTS, PRETRAIN_KIND } from './init.js';
import { openUnlabelledVideos } from './videos.js';

/** Hidden fraction of VideoMAE pre-training (tube mask), unless `model.adatosk.rhoH` says otherwise. */
export const PRETRAIN_RHO_H = 0.9;

export interface PretrainCliOptions {
  /** Config file path (the same keys as `adatosk train`). */
  config?: string;
  /** Config values that override it. */
  overrides?: Record<string, unknown>;
  /** A folder of videos or frame folders to pre-train on instead of `data` (labels are never needed). */
  videos?: string;
  /** Continue a pre-training run: its folder, `runs/latest`, or a checkpoint file. */
  resume?: string;
  json?: boolean;
  signal?: AbortSignal;
  io?: Io;
}

export interface PretrainCliResult {
  runDir: string;
  /** `model.safetensors` for `adatosk train --init` (absent when the run was interrupted). */
  weights?: string;
  checkpoint: string;
  aborted: boolean;
  /** Mean reconstruction loss of the last epoch. */
  loss?: number;
  clips: number;
  skipped: number;
  seconds: number;
  backend: string;
}

interface PretrainMeta {
  kind: typeof PRETRAIN_KIND;
  config: RunConfig;
  videos: string | null;
  modelConfig: unknown;
}

/** The pre-training model: the run's backbone with `objective: 'pretrain'` (90% tube mask unless set). */
export async function pretrainModel(cfg: RunConfig, seed: number): Promise<AdaToskModel> {
  const config = modelConfigOf(cfg);
  const options = {
    ...cfg.model.adatosk,
    objective: 'pretrain' as const,
    rhoH: (cfg.model.adatosk.rhoH as number | undefined) ?? PRETRAIN_RHO_H,
  };
  return createOrLoadModel(cfg, config, options, seed);
}

/** Unlabelled training clips: `videos` when given, else the run's dataset (its labels are ignored). */
export async function pretrainData(cfg: RunConfig, videos: string | undefined): Promise<ClipDataset> {
  const input = modelInput(cfg);
  if (videos) return openUnlabelledVideos(videos, { numFrames: input.numFrames, size: input.imageSize, seed: cfg.train.seed });
  return openSplit(cfg, 'train', input, typeof cfg.data.fold === 'number' ? cfg.data.fold : undefined);
}

/** The weights a fine-tuning run starts from: every trained tensor except the (untrained) classifier. */
export async function encoderDecoderWeights(model: AdaToskModel): Promise<Uint8Array> {
  const saved = (await model.toSafetensors()).safetensors;
  const file = readSafetensors(saved, 'pretrained model');
  const tensors: Record<string, WritableTensor> = {};
  for (const [name, entry] of file.tensors) {
    if (name.startsWith('classifier.') || name.startsWith('fc_norm.')) continue;
    tensors[name] = { dtype: 'F32', shape: entry.shape, data: decodeEntry(entry) as Float32Array };
  }
  return writeSafetensors(tensors, file.metadata);
}

async function openRun(opts: PretrainCliOptions): Promise<{ cfg: RunConfig; store: RunStore; resume?: TrainState; videos?: string }> {
  if (!opts.resume) {
    const cfg = await loadConfig(opts.config, opts.overrides ?? {});
    const store = await RunStore.create(cfg.output.dir, cfg.output.name ?? `pretrain-${timestampName()}`, cfg.output.keepLast);
    return { cfg, store, videos: opts.videos };
  }
  const file = await resolveCheckpoint(opts.resume, 'last');
  let resume: TrainState;
  try {
    resume = decodeTrainState(await readCheckpointBytes(file), file);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const meta = resume.meta as Partial<PretrainMeta> | undefined;
  if (meta?.kind !== PRETRAIN_KIND || !meta.config) {
    throw new CliError(
      `${file}: not a checkpoint of 'adatosk pretrain'${meta?.config ? "; resume it with 'adatosk train --resume'" : ''}`,
      2,
    );
  }
  const cfg = validateConfig(
    mergeConfig(meta.config as unknown as Record<string, unknown>, opts.overrides ?? {}),
    `${file} (saved config + flags)`,
  );
  const store = new RunStore(dirname(file), cfg.output.keepLast);
  await linkLatest(dirname(dirname(file)), store.dir); // it holds a checkpoint already
  return { cfg, store, resume, videos: opts.videos ?? meta.videos ?? undefined };
}

export async function runPretrain(opts: PretrainCliOptions = {}): Promise<PretrainCliResult> {
  const io = opts.io ?? processIo;
  const t0 = Date.now();
  const { cfg, store, resume, videos } = await openRun(opts);
  await loadPlugins(cfg.plugins);
  const backend = await useBackend(cfg.backend);
  const reporter = opts.json ? jsonReporter(io) : humanReporter(io);
  if (!opts.json) io.err(`backend: ${backend}; pre-training run folder: ${relative(process.cwd(), store.dir) || '.'}`);
  const data = await pretrainData(cfg, videos);
  const model = await pretrainModel(cfg, cfg.train.seed);
  const meta: PretrainMeta = { kind: PRETRAIN_KIND, config: cfg, videos: videos ?? null, modelConfig: model.config };
  await store.writeJson('config.json', meta);
  if (!opts.json) {
    io.err(
      `pre-training on ${data.length} unlabelled clips (${videos ? `videos under ${videos}` : `dataset ${cfg.data.name}`}), ` +
        `${Math.round(model.options.rhoH * 100)}% of each clip hidden (tube), reconstruction of normalised pixels`,
    );
  }

  const ctl = new AbortController();
  opts.signal?.addEventListener('abort', () => ctl.abort());
  let sigints = 0;
  const onSigint = () => {
    if (++sigints > 1) process.exit(130);
    io.err('\ninterrupt: finishing the current step and saving a checkpoint (Ctrl-C again to quit now)');
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  const skips: SkipCounter = { skipped: [] };
  let lastLoss: number | undefined;
  try {
    const result = await train(model, trainDataOf(data, cfg.data.concurrency, skips), trainOptions(cfg), {
      onEvent: (e: TrainEvent) => {
        reporter(e);
        if (e.type === 'epoch') lastLoss = e.rec;
        if (e.type !== 'step' || e.step % 10 === 0) void store.appendMetrics({ ...e, time: new Date().toISOString() });
      },
      saveCheckpoint: (state, info) => store.saveCheckpoint(state, info),
      signal: ctl.signal,
      resume,
      meta: meta as unknown as Record<string, unknown>,
    });
    reporter.stop();
    const checkpoint = await resolveCheckpoint(store.dir, 'last');
    let weights: string | undefined;
    if (!result.aborted) {
      weights = `${store.dir}/${PRETRAINED_WEIGHTS}`;
      await writeFileAtomic(weights, await encoderDecoderWeights(model));
      await writeFileAtomic(`${store.dir}/model-config.json`, (await model.toSafetensors()).configJson);
    }
    const seconds = (Date.now() - t0) / 1000;
    const out: PretrainCliResult = {
      runDir: store.dir,
      weights,
      checkpoint,
      aborted: result.aborted,
      loss: lastLoss,
      clips: data.length,
      skipped: skips.skipped.length,
      seconds,
      backend,
    };
    if (opts.json) io.out(JSON.stringify({ type: 'result', ...out }));
    else {
      if (skips.skipped.length)
        io.err(`skipped ${skips.skipped.length} unreadable clip loads (first: ${skips.skipped[0]!.id}: ${skips.skipped[0]!.message})`);
      if (weights)
        io.out(
          `pre-trained weights: ${relative(process.cwd(), weights)} (fine-tune with: adatosk train --init ${relative(process.cwd(), store.dir)})`,
        );
      io.out(`reconstruction loss ${lastLoss?.toFixed(4) ?? 'n/a'}  time: ${seconds.toFixed(1)}s`);
      if (result.aborted) io.out(`resume with: adatosk pretrain --resume ${relative(process.cwd(), store.dir)}`);
    }
    return out;
  } finally {
    process.off('SIGINT', onSigint);
    model.dispose();
    if (tf.memory().numTensors > 0 && process.env.ADATOSK_DEBUG) io.err(`debug: ${tf.memory().numTensors} tensors alive at exit`);
  }
}
