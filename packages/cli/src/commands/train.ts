// `adatosk train`: with no arguments, trains the tiny preset on the synthetic dataset with the fastest backend.
import { dirname, relative } from 'node:path';
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeTrainState, evaluate, runKFold, train, type EvalMetrics, type TrainEvent, type TrainOptions, type TrainState,
} from '@adatosk/core';
import { backendArgs, configArgs, dataArgs, many, modelArgs, num, outputArgs, repeatedFlag, setOverrides } from '../args.js';
import { loadConfig, mergeConfig, validateConfig } from '../config/load.js';
import { costLines, inferenceCost, isDefaultQuickStart, quickStartNotes } from '../config/quickstart.js';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { humanReporter, jsonReporter, metricsLines } from '../render/progress.js';
import { writeRunPlots } from '../render/plots.js';
import { RunStore, resolveCheckpoint, readCheckpointBytes } from '../run/store.js';
import { useBackend } from '../runtime/backend.js';
import { evalDataOf, trainDataOf } from '../runtime/data.js';
import { openSplit } from '../runtime/datasets.js';
import { buildModel, modelInput, type RunModel } from '../runtime/model.js';
import { loadPlugins } from '../runtime/plugins.js';
import { writeFileAtomic } from '../run/atomic.js';

export interface TrainCliOptions {
  /** Config file path. */
  config?: string;
  /** Config values (as in the file) that override it. */
  overrides?: Record<string, unknown>;
  /** Continue a run: its folder, `runs/latest`, or a checkpoint file. */
  resume?: string;
  json?: boolean;
  /** Stops the run at the next step (a checkpoint is written first). */
  signal?: AbortSignal;
  io?: Io;
}

export interface TrainCliResult {
  runDir: string;
  checkpoint: string;
  metrics?: EvalMetrics;
  kfold?: { uar: { mean: number; std: number }; war: { mean: number; std: number } };
  aborted: boolean;
  seconds: number;
  backend: string;
}

/** The training loop's options from a run config (shared with `adatosk pretrain` and `adatosk ablate`). */
export function trainOptions(cfg: RunConfig): TrainOptions {
  const t = cfg.train;
  const mixing = t.mixup > 0 || t.cutmix > 0;
  return {
    epochs: t.epochs, batchSize: t.batchSize, accumSteps: t.accumSteps, lr: t.lr, minLr: t.minLr, warmupEpochs: t.warmupEpochs,
    weightDecay: t.weightDecay, layerDecay: t.layerDecay, clipGradNorm: t.clipGradNorm, seed: t.seed,
    mix: mixing ? { mixupAlpha: t.mixup, cutmixAlpha: t.cutmix, prob: t.mixProb, switchProb: t.switchProb } : null,
    onNonFinite: t.onNonFinite, evalEvery: t.evalEvery, checkpointEverySteps: t.checkpointEverySteps, bestMetric: t.bestMetric,
  };
}

async function trainOne(
  cfg: RunConfig, store: RunStore, fold: number | undefined, io: Io, emit: (e: TrainEvent) => void,
  signal: AbortSignal | undefined, resume: TrainState | undefined,
): Promise<{ metrics?: EvalMetrics; aborted: boolean; model: RunModel; classes: readonly string[] }> {
  const input = modelInput(cfg);
  const trainSet = await openSplit(cfg, 'train', input, fold);
  const testSet = await openSplit(cfg, 'test', input, fold);
  const model = await buildModel(cfg, trainSet.classes, { fold });
  const evalData = evalDataOf(testSet, cfg.data.concurrency);
  const meta = { config: cfg, classes: trainSet.classes, modelConfig: model.config, fold: fold ?? null };
  await store.writeJson('config.json', meta);
  const result = await train(model, trainDataOf(trainSet, cfg.data.concurrency), trainOptions(cfg), {
    onEvent: (e) => {
      emit(e);
      if (e.type !== 'step' || e.step % 10 === 0) void store.appendMetrics({ ...e, fold: fold ?? undefined, time: new Date().toISOString() });
    },
    evaluate: async () => evaluate(model, evalData, { batchSize: cfg.eval.batchSize }),
    saveCheckpoint: (state, info) => store.saveCheckpoint(state, info),
    signal,
    resume,
    meta,
  });
  if (!result.aborted) {
    // A plain weights export next to the checkpoints (HF-style names: loadable by the backbone's loader).
    const exported = model.toSafetensors();
    await writeFileAtomic(`${store.dir}/model.safetensors`, exported.safetensors);
    await writeFileAtomic(`${store.dir}/model-config.json`, exported.configJson);
    if (cfg.output.plots) {
      try {
        await writeRunPlots(store.dir, result.history, result.evals, result.last, trainSet.classes);
      } catch (e) {
        io.err(`warning: plots were not written (${(e as Error).message})`);
      }
    }
  }
  return { metrics: result.last, aborted: result.aborted, model, classes: trainSet.classes };
}

export async function runTrain(opts: TrainCliOptions = {}): Promise<TrainCliResult> {
  const io = opts.io ?? processIo;
  const t0 = Date.now();
  let cfg: RunConfig;
  let resume: TrainState | undefined;
  let store: RunStore;
  if (opts.resume) {
    const file = await resolveCheckpoint(opts.resume, 'last');
    const bytes = await readCheckpointBytes(file);
    try {
      resume = decodeTrainState(bytes, file);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
    const saved = (resume.meta as { config?: unknown } | undefined)?.config;
    if (!saved) throw new CliError(`${file}: the checkpoint has no run config; it was not written by 'adatosk train'`, 2);
    // Resuming keeps the saved config; only the epoch count may grow (flags override too, at the user's risk).
    cfg = validateConfig(mergeConfig(saved as Record<string, unknown>, opts.overrides ?? {}), `${file} (saved config + flags)`);
    store = new RunStore(dirname(file), cfg.output.keepLast);
    await store.linkLatest(dirname(dirname(file)));
  } else {
    cfg = await loadConfig(opts.config, opts.overrides ?? {});
    store = await RunStore.create(cfg.output.dir, cfg.output.name, cfg.output.keepLast);
  }
  await loadPlugins(cfg.plugins);
  const backend = await useBackend(cfg.backend);
  const reporter = opts.json ? jsonReporter(io) : humanReporter(io);
  if (!opts.json) {
    io.err(`backend: ${backend}; run folder: ${relative(process.cwd(), store.dir) || '.'}`);
    // Say plainly where the quick-start profile departs from the SPEC and the generator's defaults.
    for (const line of quickStartNotes(cfg)) io.err(line);
  }

  // Ctrl-C: stop at the next step and checkpoint; a second Ctrl-C exits at once.
  const ctl = new AbortController();
  opts.signal?.addEventListener('abort', () => ctl.abort());
  let sigints = 0;
  const onSigint = () => {
    if (++sigints > 1) process.exit(130);
    io.err('\ninterrupt: finishing the current step and saving a checkpoint (Ctrl-C again to quit now)');
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const fold = cfg.data.fold;
    if (fold === 'all') {
      if (resume) throw new CliError('--resume of a k-fold run is not supported; resume one fold with --fold N', 2);
      const folds = [1, 2, 3, 4, 5];
      let aborted = false;
      const kf = await runKFold(folds, async (f) => {
        if (ctl.signal.aborted) throw new CliError('interrupted', 130);
        const sub = await RunStore.create(store.dir, `fold${f}`, cfg.output.keepLast);
        const r = await trainOne(cfg, sub, f, io, reporter, ctl.signal, undefined);
        r.model.dispose();
        aborted ||= r.aborted;
        if (!r.metrics) throw new CliError(`fold ${f} stopped before its evaluation`, 130);
        return r.metrics;
      }, reporter);
      reporter.stop();
      const summary = { uar: kf.uar, war: kf.war, folds: kf.folds.map((f) => ({ fold: f.fold, uar: f.metrics.uar, war: f.metrics.war })) };
      await store.writeJson('kfold.json', summary);
      if (opts.json) io.out(JSON.stringify({ type: 'kfold', ...summary }));
      else io.out(`k-fold: UAR ${(kf.uar.mean * 100).toFixed(2)} ± ${(kf.uar.std * 100).toFixed(2)}  WAR ${(kf.war.mean * 100).toFixed(2)} ± ${(kf.war.std * 100).toFixed(2)}  (${folds.length} folds)`);
      return { runDir: store.dir, checkpoint: store.dir, kfold: { uar: kf.uar, war: kf.war }, aborted, seconds: (Date.now() - t0) / 1000, backend };
    }
    const r = await trainOne(cfg, store, fold, io, reporter, ctl.signal, resume);
    reporter.stop();
    const cost = inferenceCost(r.model);
    r.model.dispose();
    const checkpoint = await resolveCheckpoint(store.dir, r.aborted ? 'last' : 'best');
    const seconds = (Date.now() - t0) / 1000;
    if (opts.json) {
      io.out(JSON.stringify({
        type: 'result', runDir: store.dir, checkpoint, backend, seconds, aborted: r.aborted, uar: r.metrics?.uar, war: r.metrics?.war,
        gflops: { inference: cost.inference, full: cost.full },
      }));
    } else {
      if (r.metrics) for (const line of metricsLines(r.metrics, r.classes)) io.out(line);
      for (const line of costLines(cost, r.metrics?.war, isDefaultQuickStart(cfg, validateConfig({})))) io.out(line);
      io.out(`checkpoint: ${relative(process.cwd(), checkpoint)}`);
      io.out(`run folder: ${relative(process.cwd(), store.dir)} (metrics.jsonl, plots, model.safetensors)  time: ${seconds.toFixed(1)}s`);
      if (r.aborted) io.out(`resume with: adatosk train --resume ${relative(process.cwd(), store.dir)}`);
    }
    if (tf.memory().numTensors > 0 && process.env.ADATOSK_DEBUG) io.err(`debug: ${tf.memory().numTensors} tensors alive at exit`);
    return { runDir: store.dir, checkpoint, metrics: r.metrics, aborted: r.aborted, seconds, backend };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Flags -> config keys (only those given). */
export function trainFlags(args: Record<string, unknown>): Record<string, unknown> {
  const fold = args.fold === undefined ? undefined : args.fold === 'all' ? 'all' : num('fold', args.fold);
  const o = {
    model: { preset: args.preset, pretrained: args.init },
    data: { name: args.dataset, root: args.root, fold },
    train: { epochs: num('epochs', args.epochs), batchSize: num('batch-size', args['batch-size']), lr: num('lr', args.lr), seed: num('seed', args.seed) },
    output: { dir: args.out, name: args.name },
    backend: args.backend,
    plugins: many(args.plugin).length ? many(args.plugin) : undefined,
  };
  return mergeConfig(prune(o) as Record<string, unknown>, setOverrides(many(args.set)));
}

function prune(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x);
    if (p === undefined) continue;
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

export default defineCommand({
  meta: { name: 'train', description: 'Train AdaTosk. With no arguments: the quickstart preset on the synthetic dataset (quick start, a few minutes on 2 cores)' },
  args: {
    ...configArgs,
    ...modelArgs,
    ...dataArgs,
    ...backendArgs,
    ...outputArgs,
    epochs: { type: 'string', description: 'Epochs (train.epochs)', valueHint: 'n' },
    'batch-size': { type: 'string', alias: 'b', description: 'Clips per step (train.batchSize)', valueHint: 'n' },
    lr: { type: 'string', description: 'Peak learning rate (train.lr)', valueHint: 'x' },
    seed: { type: 'string', description: 'Run seed (train.seed)', valueHint: 'n' },
    out: { type: 'string', alias: 'o', description: 'Parent folder of runs (output.dir, default runs)', valueHint: 'dir' },
    name: { type: 'string', description: 'Run folder name (output.name, default a timestamp)', valueHint: 'name' },
    resume: { type: 'string', description: 'Continue a run exactly: its folder, runs/latest, or a checkpoint file', valueHint: 'path' },
    init: { type: 'string', description: "Fine-tune from these weights (model.pretrained): an 'adatosk pretrain' run folder, .safetensors or checkpoint", valueHint: 'path' },
  },
  async run({ args, rawArgs }) {
    const repeated = { set: repeatedFlag(rawArgs, 'set'), plugin: repeatedFlag(rawArgs, 'plugin') };
    const r = await runTrain({ config: args.config, overrides: trainFlags({ ...args, ...repeated }), resume: args.resume, json: args.json });
    if (r.aborted) process.exitCode = 130;
  },
});
