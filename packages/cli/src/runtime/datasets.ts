// Builds the train/test ClipDatasets a run config names.
import { existsSync } from 'node:fs';
import { cacheSplitKey, createDataset, openCacheDataset, readManifest } from '@adatosk/datasets';
import type { ClipDataset } from '@adatosk/core';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { SYNTHETIC_DATA } from '../config/quickstart.js';

export interface ModelInput {
  numFrames: number;
  imageSize: number;
}

/** Read options a frame cache takes (the others chose what the cache holds when it was prepared). */
const CACHE_READ_KEYS = ['sampling', 'stride', 'testViews', 'augment'];

/** A split of the frame cache `cfg.data.cache`; its dataset is the one it was prepared from. */
async function openCachedSplit(cfg: RunConfig, split: 'train' | 'test', input: ModelInput, fold?: number): Promise<ClipDataset> {
  const d = cfg.data;
  const dir = d.cache!;
  if (!existsSync(dir)) throw new CliError(`frame cache '${dir}' does not exist; make it with \`adatosk datasets prepare <dataset> <root> --out ${dir}\``, 2);
  const read = Object.fromEntries(Object.entries(d.options).filter(([k]) => CACHE_READ_KEYS.includes(k)));
  try {
    const m = await readManifest(dir);
    const name = m?.identity.dataset;
    if (name && d.name !== 'synthetic' && d.name !== name) throw new CliError(`frame cache '${dir}' holds ${name}, but the run asks for dataset '${d.name}'`, 2);
    if (name && (name === 'dfew' || name === 'mafw') && fold === undefined) throw new CliError(`the cache holds ${name}, which has 5 folds: pass --fold 1..5 (or --fold all)`, 2);
    return await openCacheDataset(dir, {
      split: cacheSplitKey(name ?? d.name, { fold, split }), fold, numFrames: input.numFrames, size: input.imageSize, seed: cfg.train.seed, ...read,
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`frame cache '${dir}': ${(e as Error).message}`, 1);
  }
}

export async function openSplit(cfg: RunConfig, split: 'train' | 'test', input: ModelInput, fold?: number): Promise<ClipDataset> {
  const d = cfg.data;
  if (d.cache) return openCachedSplit(cfg, split, input, fold);
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
