// `adatosk train`: with no arguments, trains the tiny preset on the synthetic dataset with the fastest backend.
import { dirname, relative, resolve } from 'node:path';
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeTrainState,
  evaluate,
  memoryBudget,
  presets,
  runKFold,
  setMemoryBudget,
  train,
  type ClipDataset,
  type EvalMetrics,
  type TrainEvent,
  type TrainOptions,
  type TrainState,
} from '@adatosk/core';
import {
  backendArgs,
  configArgs,
  dataArgs,
  foldFlag,
  many,
  modelArgs,
  num,
  outputArgs,
  repeatedFlag,
  scheduleArgs,
  setOverrides,
} from '../args.js';
import { loadConfig, mergeConfig, validateConfig } from '../config/load.js';
import { costLines, inferenceCost, isDefaultQuickStart, quickStartNotes } from '../config/quickstart.js';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { humanReporter, jsonReporter, metricsLines } from '../render/progress.js';
import { writeRunPlots } from '../render/plots.js';
import { HISTORY, MODEL, RUN_SETTINGS, RunStore, linkLatest, resolveCheckpoint, readCheckpointBytes } from '../run/store.js';
import { HistoryRecorder, readHistory } from '../run/history.js';
import { useBackend } from '../runtime/backend.js';
import { chooseAugmentOn, evalDataOf, startDataWorkers, trainDataOf } from '../runtime/data.js';
import { checkDataConfig, foldsOf, openSplit } from '../runtime/datasets.js';
import { adaToskOptionsOf, buildModel, exportModel, modelInput, type RunModel, type RunSettings } from '../runtime/model.js';
import { loadPlugins } from '../runtime/plugins.js';
import { parseMemoryBudget } from '../memory-budget.js';

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
    epochs: t.epochs,
    batchSize: t.batchSize,
    accumSteps: t.accumSteps,
    lr: t.lr,
    minLr: t.minLr,
    warmupEpochs: t.warmupEpochs,
    weightDecay: t.weightDecay,
    layerDecay: t.layerDecay,
    clipGradNorm: t.clipGradNorm,
    seed: t.seed,
    mix: mixing ? { mixupAlpha: t.mixup, cutmixAlpha: t.cutmix, prob: t.mixProb, switchProb: t.switchProb } : null,
    onNonFinite: t.onNonFinite,
    evalEvery: t.evalEvery,
    checkpointEverySteps: t.checkpointEverySteps,
    bestMetric: t.bestMetric,
  };
}

/** What a run needs before anything is written: both splits (dataset, root and fold checked) and the model. */
interface Prepared {
  trainSet: ClipDataset;
  testSet: ClipDataset;
  model: RunModel;
}

async function prepare(cfg: RunConfig, fold: number | undefined): Promise<Prepared> {
  const input = modelInput(cfg);
  const trainSet = await openSplit(cfg, 'train', input, fold);
  const testSet = await openSplit(cfg, 'test', input, fold);
  const model = await buildModel(cfg, trainSet.classes, { fold });
  return { trainSet, testSet, model };
}

async function trainOne(
  cfg: RunConfig,
  store: RunStore,
  fold: number | undefined,
  prepared: Prepared,
  io: Io,
  emit: (e: TrainEvent) => void,
  signal: AbortSignal | undefined,
  resume: TrainState | undefined,
  backend: string,
): Promise<{ metrics?: EvalMetrics; aborted: boolean; model: RunModel; classes: readonly string[]; notes: string[] }> {
  const { trainSet, testSet, model } = prepared;
  // Worker threads decode and augment clips; the next batch loads while the current step runs.
  const pool = await startDataWorkers(trainSet, cfg.data.workers);
  const evalData = evalDataOf(testSet, { pool, concurrency: cfg.data.concurrency });
  let waited = 0;
  const trainData = trainDataOf(trainSet, {
    pool,
    concurrency: cfg.data.concurrency,
    augmentOn: chooseAugmentOn(trainSet, backend, cfg.data.augmentOn),
    onWait: (w) => (waited += w.waitMs),
  });
  const settings: RunSettings = {
    config: cfg,
    classes: trainSet.classes,
    fold: fold ?? null,
    modelConfig: model.config,
    adatosk: adaToskOptionsOf(cfg),
  };
  await store.writeJson(RUN_SETTINGS, settings);
  const history = new HistoryRecorder(store, resume ? await readHistory(store.dir, resume.epoch) : undefined);
  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train(model, trainData, trainOptions(cfg), {
      onEvent: (e) => {
        // Steps carry how long they waited for data (the data part of the time outside the model).
        if (e.type === 'step') {
          e = { ...e, dataWaitMs: waited };
          waited = 0;
        }
        emit(e);
        history.record(e);
        if (e.type !== 'step' || e.step % 10 === 0)
          void store.appendMetrics({ ...e, fold: fold ?? undefined, time: new Date().toISOString() });
      },
      evaluate: async () => evaluate(model, evalData, { batchSize: cfg.eval.batchSize }),
      saveCheckpoint: (state, info) => store.saveCheckpoint(state, info),
      signal,
      resume,
      meta: settings as unknown as Record<string, unknown>,
    });
  } finally {
    await trainData.dispose();
    await pool?.close();
  }
  // The exported model (also after an interrupt): the run folder then loads as is in the demo, the APIs and predict.
  // The training checkpoints are already saved, so a failed export is a warning, not a failed run.
  const notes: string[] = [];
  try {
    await exportModel(store.dir, model, settings.adatosk);
  } catch (e) {
    io.err(`warning: ${MODEL} was not written (${(e as Error).message}); predict and eval still read the training checkpoints`);
  }
  const failed = await history.flush();
  if (failed) io.err(`warning: ${HISTORY} was not written (${failed.message}); the plots of a resumed run will miss earlier epochs`);
  if (!result.aborted && cfg.output.plots) {
    try {
      const { epochs, evals } = history.history;
      await writeRunPlots(store.dir, epochs, evals, result.last, trainSet.classes);
      if (evals.length === 1)
        notes.push(`accuracy.png: not drawn, the model was evaluated once (set train.evalEvery=1 to evaluate every epoch)`);
    } catch (e) {
      io.err(`warning: plots were not written (${(e as Error).message})`);
    }
  }
  return { metrics: result.last, aborted: result.aborted, model, classes: trainSet.classes, notes };
}

/** Stops training at the next step (with a checkpoint) on SIGINT or SIGTERM; a second signal exits at once. */
function stopOnSignals(io: Io, ctl: AbortController): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (++count > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'a second SIGTERM';
    io.err(`\n${signal === 'SIGINT' ? 'interrupt' : 'SIGTERM'}: finishing the current step and saving a checkpoint (${again} to quit now)`);
    ctl.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function runTrain(opts: TrainCliOptions = {}): Promise<TrainCliResult> {
  const io = opts.io ?? processIo;
  const t0 = Date.now();
  let cfg: RunConfig;
  let resume: TrainState | undefined;
  let resumeFile: string | undefined;
  if (opts.resume) {
    resumeFile = await resolveCheckpoint(opts.resume, 'last');
    const bytes = await readCheckpointBytes(resumeFile);
    try {
      resume = decodeTrainState(bytes, resumeFile);
    } catch (e) {
      throw new CliError((e as Error).message, 2);
    }
    const saved = (resume.meta as { config?: unknown } | undefined)?.config;
    if (!saved) throw new CliError(`${resumeFile}: the checkpoint has no run config; it was not written by 'adatosk train'`, 2);
    // Resuming keeps the saved config; only the epoch count may grow (flags override too, at the user's risk).
    cfg = validateConfig(mergeConfig(saved as Record<string, unknown>, opts.overrides ?? {}), `${resumeFile} (saved config + flags)`);
  } else {
    cfg = await loadConfig(opts.config, opts.overrides ?? {});
  }
  // Everything that can fail on bad input (dataset, fold, plugins, backend, model) runs before a run folder
  // exists, so a failed start leaves no empty folder behind and runs/latest where it was.
  checkDataConfig(cfg);
  const fold = cfg.data.fold;
  if (fold === 'all' && resume) throw new CliError('--resume of a k-fold run is not supported; resume one fold with --fold N', 2);
  const folds = fold === 'all' ? (foldsOf(cfg) as number[]) : [];
  await loadPlugins(cfg.plugins);
  const backend = await useBackend(cfg.backend, io);
  const first = await prepare(cfg, fold === 'all' ? folds[0] : fold);
  let store: RunStore;
  try {
    if (resumeFile) {
      store = new RunStore(dirname(resumeFile), cfg.output.keepLast);
      await linkLatest(dirname(dirname(resumeFile)), store.dir); // it holds a checkpoint already
    } else {
      store = await RunStore.create(cfg.output.dir, cfg.output.name, cfg.output.keepLast);
    }
  } catch (e) {
    first.model.dispose();
    throw e;
  }
  const reporter = opts.json ? jsonReporter(io) : humanReporter(io);
  if (!opts.json) {
    io.err(`backend: ${backend}; run folder: ${relative(process.cwd(), store.dir) || '.'}`);
    // Say plainly where the quick-start profile departs from the SPEC and the generator's defaults.
    for (const line of quickStartNotes(cfg)) io.err(line);
  }

  // Ctrl-C or SIGTERM: stop at the next step and checkpoint; a second one exits at once.
  const ctl = new AbortController();
  opts.signal?.addEventListener('abort', () => ctl.abort());
  const releaseSignals = stopOnSignals(io, ctl);
  // The user's budget replaces the device's memory for this run (restored afterwards: runs in one process).
  // recomputeBlocks 'auto' reads it at each forward pass, so setting it after the model is built is enough.
  const previousBudget = memoryBudget();
  if (cfg.train.memoryBudget !== undefined) setMemoryBudget(parseMemoryBudget(cfg.train.memoryBudget));
  try {
    if (fold === 'all') {
      let aborted = false;
      const kf = await runKFold(
        folds,
        async (f) => {
          if (ctl.signal.aborted) throw new CliError('interrupted', 130);
          // runs/latest moves to the k-fold folder (and its own latest to the fold) once the fold has a checkpoint.
          const sub = await RunStore.create(store.dir, `fold${f}`, cfg.output.keepLast, {
            alsoLink: [{ parent: resolve(cfg.output.dir), dir: store.dir }],
          });
          const r = await trainOne(
            cfg,
            sub,
            f,
            f === folds[0] ? first : await prepare(cfg, f),
            io,
            reporter,
            ctl.signal,
            undefined,
            backend,
          );
          r.model.dispose();
          aborted ||= r.aborted;
          if (!r.metrics) throw new CliError(`fold ${f} stopped before its evaluation`, 130);
          return r.metrics;
        },
        reporter,
      );
      reporter.stop();
      const summary = { uar: kf.uar, war: kf.war, folds: kf.folds.map((f) => ({ fold: f.fold, uar: f.metrics.uar, war: f.metrics.war })) };
      await store.writeJson('kfold.json', summary);
      if (opts.json) io.out(JSON.stringify({ type: 'kfold', ...summary }));
      else
        io.out(
          `k-fold: UAR ${(kf.uar.mean * 100).toFixed(2)} ± ${(kf.uar.std * 100).toFixed(2)}  WAR ${(kf.war.mean * 100).toFixed(2)} ± ${(kf.war.std * 100).toFixed(2)}  (${folds.length} folds)`,
        );
      return {
        runDir: store.dir,
        checkpoint: store.dir,
        kfold: { uar: kf.uar, war: kf.war },
        aborted,
        seconds: (Date.now() - t0) / 1000,
        backend,
      };
    }
    const r = await trainOne(cfg, store, fold, first, io, reporter, ctl.signal, resume, backend);
    reporter.stop();
    const cost = inferenceCost(r.model);
    r.model.dispose();
    const checkpoint = await resolveCheckpoint(store.dir, r.aborted ? 'last' : 'best');
    const seconds = (Date.now() - t0) / 1000;
    if (opts.json) {
      io.out(
        JSON.stringify({
          type: 'result',
          runDir: store.dir,
          checkpoint,
          backend,
          seconds,
          aborted: r.aborted,
          uar: r.metrics?.uar,
          war: r.metrics?.war,
          gflops: { inference: cost.inference, full: cost.full },
        }),
      );
    } else {
      const here = (p: string) => relative(process.cwd(), p) || '.';
      if (r.metrics) for (const line of metricsLines(r.metrics, r.classes)) io.out(line);
      for (const line of costLines(cost, r.metrics?.war, isDefaultQuickStart(cfg, validateConfig({})))) io.out(line);
      io.out(`checkpoint: ${here(checkpoint)}`);
      io.out(
        `run folder: ${here(store.dir)} (model.safetensors + config.json: the model for predict, eval and the demo; metrics.jsonl, plots)  time: ${seconds.toFixed(1)}s`,
      );
      for (const note of r.notes) io.out(note);
      if (r.aborted) io.out(`resume with: adatosk train --resume ${here(store.dir)}`);
    }
    if (tf.memory().numTensors > 0 && process.env.ADATOSK_DEBUG) io.err(`debug: ${tf.memory().numTensors} tensors alive at exit`);
    return { runDir: store.dir, checkpoint, metrics: r.metrics, aborted: r.aborted, seconds, backend };
  } finally {
    releaseSignals();
    setMemoryBudget(previousBudget.source === 'user' ? previousBudget.bytes : undefined);
  }
}

/** Flags -> config keys (only those given). */
export function trainFlags(args: Record<string, unknown>): Record<string, unknown> {
  const fold = foldFlag(args.fold);
  const o = {
    model: { preset: args.preset, pretrained: args.init },
    data: { name: args.dataset, root: args.root, fold, cache: args.cache, workers: num('workers', args.workers) },
    train: {
      epochs: num('epochs', args.epochs),
      batchSize: num('batch-size', args['batch-size']),
      lr: num('lr', args.lr),
      seed: num('seed', args.seed),
      memoryBudget: args['memory-budget'] === undefined ? undefined : parseMemoryBudget(String(args['memory-budget'])),
    },
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
  meta: {
    name: 'train',
    description: 'Train AdaTosk. With no arguments: the quickstart preset on the synthetic dataset (quick start, a few minutes on 2 cores)',
  },
  args: {
    ...configArgs,
    ...modelArgs,
    ...dataArgs,
    ...backendArgs,
    ...outputArgs,
    ...scheduleArgs,
    out: { type: 'string', alias: 'o', description: 'Parent folder of runs (output.dir, default runs)', valueHint: 'dir' },
    name: { type: 'string', description: 'Run folder name (output.name, default a timestamp)', valueHint: 'name' },
    resume: { type: 'string', description: 'Continue a run exactly: its folder, runs/latest, or a checkpoint file', valueHint: 'path' },
    init: {
      type: 'string',
      description: "Fine-tune from these weights (model.pretrained): an 'adatosk pretrain' run folder, .safetensors or checkpoint",
      valueHint: 'path',
    },
    cache: { type: 'string', description: "Read frames from a cache made by 'adatosk datasets prepare' (data.cache)", valueHint: 'dir' },
    workers: {
      type: 'string',
      description: 'Worker threads decoding clips (data.workers; default one per core, 0 = main thread)',
      valueHint: 'n',
    },
    'memory-budget': {
      type: 'string',
      description: "Memory a step may use, e.g. 20GB (train.memoryBudget; default: the device's memory): blocks recompute past it",
      valueHint: 'size',
    },
  },
  async run({ args, rawArgs }) {
    const repeated = { set: repeatedFlag(rawArgs, 'set'), plugin: repeatedFlag(rawArgs, 'plugin') };
    const r = await runTrain({
      config: args.config,
      overrides: trainFlags({ ...args, ...repeated }),
      resume: args.resume,
      json: args.json,
    });
    if (r.aborted) process.exitCode = 130;
  },
});
