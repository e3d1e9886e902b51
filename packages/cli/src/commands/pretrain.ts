// `adatosk pretrain`: VideoMAE self-supervised pre-training on unlabelled clips (library: ../pretrain/run.ts).
import { defineCommand } from 'citty';
import { backendArgs, configArgs, dataArgs, many, modelArgs, num, outputArgs, repeatedFlag, scheduleArgs, setOverrides } from '../args.js';
import { mergeConfig } from '../config/load.js';
import { runPretrain } from '../pretrain/run.js';

/** Flags -> config keys (only those given). */
export function pretrainFlags(args: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const put = (section: string, key: string, value: unknown) => {
    if (value === undefined) return;
    o[section] = { ...((o[section] as Record<string, unknown>) ?? {}), [key]: value };
  };
  put('model', 'preset', args.preset);
  put('model', 'pretrained', args.init);
  put('data', 'name', args.dataset);
  put('data', 'root', args.root);
  if (args.fold !== undefined) put('data', 'fold', num('fold', args.fold));
  put('train', 'epochs', num('epochs', args.epochs));
  put('train', 'batchSize', num('batch-size', args['batch-size']));
  put('train', 'lr', num('lr', args.lr));
  put('train', 'seed', num('seed', args.seed));
  put('output', 'dir', args.out);
  put('output', 'name', args.name);
  if (args.backend !== undefined) o.backend = args.backend;
  if (many(args.plugin).length) o.plugins = many(args.plugin);
  return mergeConfig(o, setOverrides(many(args.set)));
}

export default defineCommand({
  meta: {
    name: 'pretrain',
    description:
      'VideoMAE self-supervised pre-training (90% tube mask, normalised-pixel reconstruction) on unlabelled clips; fine-tune with adatosk train --init <run>',
  },
  args: {
    ...configArgs,
    ...modelArgs,
    ...dataArgs,
    ...backendArgs,
    ...outputArgs,
    videos: {
      type: 'string',
      description: 'Folder of videos or frame folders to pre-train on (any depth; no labels needed)',
      valueHint: 'dir',
    },
    init: {
      type: 'string',
      description: 'Continue from these weights (model.pretrained): a run folder, .safetensors file or checkpoint',
      valueHint: 'path',
    },
    ...scheduleArgs,
    out: { type: 'string', alias: 'o', description: 'Parent folder of runs (output.dir, default runs)', valueHint: 'dir' },
    name: { type: 'string', description: 'Run folder name (output.name, default pretrain-<timestamp>)', valueHint: 'name' },
    resume: {
      type: 'string',
      description: 'Continue a pre-training run exactly: its folder, runs/latest, or a checkpoint file',
      valueHint: 'path',
    },
  },
  async run({ args, rawArgs }) {
    const repeated = { set: repeatedFlag(rawArgs, 'set'), plugin: repeatedFlag(rawArgs, 'plugin') };
    const r = await runPretrain({
      config: args.config,
      overrides: pretrainFlags({ ...args, ...repeated }),
      videos: args.videos,
      resume: args.resume,
      json: args.json,
    });
    if (r.aborted) process.exitCode = 130;
  },
});
