// `adatosk eval`: the reference test protocol (all test views per clip, softmax averaged) on a checkpoint, or
// with `--fold all` on every fold of a k-fold run (mean and spread of the per-fold UAR and WAR).
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { evaluate, runKFold, type EvaluateResult, type KFoldResult } from '@adatosk/core';
import { backendArgs, configArgs, dataArgs, foldFlag, outputArgs, repeatedFlag, setOverrides } from '../args.js';
import { mergeConfig, readConfigFile, validateConfig, type Obj } from '../config/load.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { metricsLines } from '../render/progress.js';
import { useBackend } from '../runtime/backend.js';
import { evalDataOf } from '../runtime/data.js';
import { openSplit } from '../runtime/datasets.js';
import { modelFromCheckpoint, modelInput } from '../runtime/model.js';
import { loadPlugins } from '../runtime/plugins.js';
import { writeRunPlots } from '../render/plots.js';

export interface EvalCliOptions {
  checkpoint?: string;
  config?: string;
  overrides?: Record<string, unknown>;
  /** Write confusion.png here. */
  plot?: string;
  json?: boolean;
  io?: Io;
}

/** One checkpoint on one test split. */
export type SingleEvalResult = EvaluateResult & { classes: readonly string[]; fold?: number; kfold?: undefined };
/** `--fold all`: each fold's checkpoint on its own test split, and the mean and spread over folds. */
export type KFoldEvalResult = { classes: readonly string[]; kfold: KFoldResult };
export type EvalCliResult = SingleEvalResult | KFoldEvalResult;

/** The `foldN` folders of a k-fold run folder (what `adatosk train --fold all` writes), by fold number. */
async function foldFolders(path: string): Promise<Map<number, string>> {
  const dir = await realpath(resolve(path)).catch(() => resolve(path));
  const out = new Map<number, string>();
  if (!(await stat(dir).catch(() => null))?.isDirectory()) return out;
  for (const name of await readdir(dir)) {
    const m = /^fold(\d+)$/.exec(name);
    if (m) out.set(Number(m[1]), join(dir, name));
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

export async function runEval(opts: EvalCliOptions): Promise<EvalCliResult> {
  const io = opts.io ?? processIo;
  const file = opts.config ? await readConfigFile(opts.config) : {};
  const pre = validateConfig(mergeConfig(file, opts.overrides ?? {}), opts.config ?? 'flags');
  await loadPlugins(pre.plugins);
  const backend = await useBackend(pre.backend, io);
  const path = opts.checkpoint ?? 'runs/latest';
  const requested = ((opts.overrides?.data as Obj | undefined)?.fold ?? (file.data as Obj | undefined)?.fold) as number | 'all' | undefined;
  const folds = await foldFolders(path);
  if (requested === 'all') {
    if (folds.size === 0) {
      throw new CliError(
        `--fold all evaluates every fold of a k-fold run (a folder written by 'adatosk train --fold all', holding fold1, fold2, ...); ` +
          `'${path}' has no fold folders. Evaluate one checkpoint with --fold N.`,
        2,
      );
    }
    let classes: readonly string[] = [];
    const kfold = await runKFold([...folds.keys()], async (f) => {
      const r = await evalOne({ ...opts, io, checkpoint: folds.get(f)!, plot: undefined }, file, f, backend, true);
      classes = r.classes;
      return r;
    });
    const summary = {
      uar: kfold.uar,
      war: kfold.war,
      folds: kfold.folds.map((f) => ({ fold: f.fold, uar: f.metrics.uar, war: f.metrics.war })),
    };
    if (opts.json) io.out(JSON.stringify({ type: 'kfold', checkpoint: path, ...summary }));
    else {
      for (const f of summary.folds) io.out(`fold ${f.fold}: UAR ${(f.uar * 100).toFixed(2)}%  WAR ${(f.war * 100).toFixed(2)}%`);
      io.out(
        `k-fold: UAR ${(kfold.uar.mean * 100).toFixed(2)} ± ${(kfold.uar.std * 100).toFixed(2)}  WAR ${(kfold.war.mean * 100).toFixed(2)} ± ${(kfold.war.std * 100).toFixed(2)}  (${folds.size} folds)`,
      );
    }
    return { classes, kfold };
  }
  // A k-fold run folder with --fold N: that fold's checkpoint.
  const checkpoint = typeof requested === 'number' && folds.has(requested) ? folds.get(requested)! : path;
  return evalOne({ ...opts, io, checkpoint }, file, requested, backend, false);
}

async function evalOne(
  opts: EvalCliOptions & { io: Io; checkpoint: string },
  file: Obj,
  fold: number | undefined,
  backend: string,
  quiet: boolean,
): Promise<SingleEvalResult> {
  const { io } = opts;
  const { model, config: saved, classes, file: ckpt, fold: savedFold } = await modelFromCheckpoint(opts.checkpoint);
  // The checkpoint's own config decides the model and data defaults; the file and flags override data/eval keys.
  // A fold run of a k-fold run saved `fold: 'all'` in its config: the fold it trained on is the one to test.
  const merged = mergeConfig(mergeConfig(saved as Record<string, unknown>, file), opts.overrides ?? {});
  const foldToUse = fold ?? savedFold;
  if (foldToUse !== undefined) merged.data = { ...(merged.data as Obj), fold: foldToUse };
  const cfg = validateConfig(merged, 'checkpoint config + flags');
  try {
    const test = await openSplit(cfg, 'test', modelInput(cfg), cfg.data.fold === 'all' ? undefined : cfg.data.fold);
    if (!opts.json) io.err(`evaluating ${ckpt} on ${test.name} (${test.length} clips x ${test.testViews} views, backend ${backend})`);
    const r = await evaluate(model, evalDataOf(test, cfg.data.concurrency), { batchSize: cfg.eval.batchSize });
    if (opts.plot) await writeRunPlots(opts.plot, [], [], r, test.classes);
    if (opts.json) {
      io.out(
        JSON.stringify({
          checkpoint: ckpt,
          dataset: test.name,
          ...(foldToUse !== undefined ? { fold: foldToUse } : {}),
          classes: test.classes,
          uar: r.uar,
          war: r.war,
          perClassRecall: r.perClassRecall,
          confusion: r.confusion,
          count: r.count,
          loss: r.loss,
        }),
      );
    } else if (!quiet) for (const line of metricsLines(r, test.classes)) io.out(line);
    return { ...r, classes, ...(foldToUse !== undefined ? { fold: foldToUse } : {}) };
  } finally {
    model.dispose();
  }
}

export default defineCommand({
  meta: {
    name: 'eval',
    description: 'Evaluate a checkpoint (UAR, WAR, per-class recall, confusion matrix); --fold all: every fold of a k-fold run',
  },
  args: {
    checkpoint: { type: 'string', alias: 'k', description: 'Checkpoint file or run folder (default runs/latest)', valueHint: 'path' },
    ...configArgs,
    ...dataArgs,
    ...backendArgs,
    ...outputArgs,
    plot: { type: 'string', description: 'Folder to write confusion.png into', valueHint: 'dir' },
  },
  async run({ args, rawArgs }) {
    const fold = foldFlag(args.fold);
    const flags: Record<string, unknown> = {};
    if (args.dataset || args.root || fold !== undefined) {
      flags.data = {
        ...(args.dataset ? { name: args.dataset } : {}),
        ...(args.root ? { root: args.root } : {}),
        ...(fold !== undefined ? { fold } : {}),
      };
    }
    if (args.backend) flags.backend = args.backend;
    const plugins = repeatedFlag(rawArgs, 'plugin');
    if (plugins.length) flags.plugins = plugins;
    await runEval({
      checkpoint: args.checkpoint,
      config: args.config,
      overrides: mergeConfig(flags, setOverrides(repeatedFlag(rawArgs, 'set'))),
      plot: args.plot,
      json: args.json,
    });
  },
});
