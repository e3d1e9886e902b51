// `adatosk eval`: the reference test protocol (all test views per clip, softmax averaged) on a checkpoint.
import { defineCommand } from 'citty';
import { evaluate, type EvaluateResult } from '@adatosk/core';
import { backendArgs, configArgs, dataArgs, many, num, outputArgs, repeatedFlag, setOverrides } from '../args.js';
import { mergeConfig, readConfigFile, validateConfig } from '../config/load.js';
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

export async function runEval(opts: EvalCliOptions): Promise<EvaluateResult & { classes: readonly string[] }> {
  const io = opts.io ?? processIo;
  const file = opts.config ? await readConfigFile(opts.config) : {};
  const pre = validateConfig(mergeConfig(file, opts.overrides ?? {}), opts.config ?? 'flags');
  await loadPlugins(pre.plugins);
  const backend = await useBackend(pre.backend, io);
  const { model, config: saved, classes, file: ckpt } = await modelFromCheckpoint(opts.checkpoint ?? 'runs/latest');
  // The checkpoint's own config decides the model and data defaults; the file and flags override data/eval keys.
  const cfg = validateConfig(mergeConfig(mergeConfig(saved as Record<string, unknown>, file), opts.overrides ?? {}), 'checkpoint config + flags');
  try {
    const fold = cfg.data.fold === 'all' ? undefined : cfg.data.fold;
    const test = await openSplit(cfg, 'test', modelInput(cfg), fold);
    if (!opts.json) io.err(`evaluating ${ckpt} on ${test.name} (${test.length} clips x ${test.testViews} views, backend ${backend})`);
    const r = await evaluate(model, evalDataOf(test, cfg.data.concurrency), { batchSize: cfg.eval.batchSize });
    if (opts.plot) await writeRunPlots(opts.plot, [], [], r, test.classes);
    if (opts.json) {
      io.out(JSON.stringify({ checkpoint: ckpt, dataset: test.name, classes: test.classes, uar: r.uar, war: r.war, perClassRecall: r.perClassRecall, confusion: r.confusion, count: r.count, loss: r.loss }));
    } else for (const line of metricsLines(r, test.classes)) io.out(line);
    return { ...r, classes };
  } finally {
    model.dispose();
  }
}

export default defineCommand({
  meta: { name: 'eval', description: 'Evaluate a checkpoint (UAR, WAR, per-class recall, confusion matrix)' },
  args: {
    checkpoint: { type: 'string', alias: 'k', description: 'Checkpoint file or run folder (default runs/latest)', valueHint: 'path' },
    ...configArgs,
    ...dataArgs,
    ...backendArgs,
    ...outputArgs,
    plot: { type: 'string', description: 'Folder to write confusion.png into', valueHint: 'dir' },
  },
  async run({ args, rawArgs }) {
    const fold = args.fold === undefined ? undefined : num('fold', args.fold);
    const flags: Record<string, unknown> = {};
    if (args.dataset || args.root || fold) flags.data = { ...(args.dataset ? { name: args.dataset } : {}), ...(args.root ? { root: args.root } : {}), ...(fold ? { fold } : {}) };
    if (args.backend) flags.backend = args.backend;
    const plugins = repeatedFlag(rawArgs, 'plugin');
    if (plugins.length) flags.plugins = plugins;
    await runEval({ checkpoint: args.checkpoint, config: args.config, overrides: mergeConfig(flags, setOverrides(repeatedFlag(rawArgs, 'set'))), plot: args.plot, json: args.json });
  },
});
