// Builds the train/test ClipDatasets a run config names.
import { existsSync } from 'node:fs';
import { createDataset } from '@adatosk/datasets';
import type { ClipDataset } from '@adatosk/core';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { SYNTHETIC_DATA } from '../config/quickstart.js';

export interface ModelInput {
  numFrames: number;
  imageSize: number;
}

export async function openSplit(cfg: RunConfig, split: 'train' | 'test', input: ModelInput, fold?: number): Promise<ClipDataset> {
  const d = cfg.data;
  const common = { numFrames: input.numFrames, size: input.imageSize, seed: cfg.train.seed, ...d.options };
  if (d.name === 'synthetic') {
    return (createDataset as (n: string, o: unknown) => Promise<ClipDataset>)('synthetic', {
      split, numClips: split === 'train' ? d.trainClips : d.testClips, numFrames: input.numFrames, size: input.imageSize, seed: cfg.train.seed,
      ...SYNTHETIC_DATA, ...d.options,
    });
  }
  if (!d.root) throw new CliError(`dataset '${d.name}' needs a root folder: pass --root <dir> or set data.root in the config`, 2);
  if (!existsSync(d.root)) throw new CliError(`dataset root '${d.root}' does not exist; check --root (data.root)`, 2);
  const needsFold = d.name === 'dfew' || d.name === 'mafw';
  if (needsFold && fold === undefined) throw new CliError(`dataset '${d.name}' has 5 folds: pass --fold 1..5 (or --fold all for k-fold)`, 2);
  try {
    return await (createDataset as (n: string, o: unknown) => Promise<ClipDataset>)(d.name, { root: d.root, split, ...(needsFold ? { fold } : {}), ...common });
  } catch (e) {
    const err = e as Error;
    if (/unknown dataset|not registered/i.test(err.message)) throw new CliError(`${err.message}`, 2);
    throw new CliError(`dataset '${d.name}' at '${d.root}': ${err.message}`, 1);
  }
}
