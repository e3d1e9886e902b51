// Builds the train/test ClipDatasets a run config names. Every dataset fact (needs a root, its folds, its
// splits) comes from the dataset registry, so a newly registered loader needs no edit here.
import { existsSync } from 'node:fs';
import {
  cacheSplitKey,
  createDatasetFromSpec,
  foldList,
  getDataset,
  openCacheDataset,
  readManifest,
  unknownDatasetMessage,
  type DatasetFacts,
} from '@adatosk/datasets';
import type { ClipDataset } from '@adatosk/core';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';
import { SYNTHETIC_DATA } from '../config/quickstart.js';

export interface ModelInput {
  numFrames: number;
  imageSize: number;
}

/** The registry facts of the configured dataset; an unknown name is a usage error listing the known ones. */
export function datasetFacts(name: string): DatasetFacts {
  const definition = getDataset(name);
  if (!definition) throw new CliError(`${unknownDatasetMessage(name)} Pick one with --dataset (data.name).`, 2);
  return definition;
}

/**
 * Checks the data section against the dataset's facts before anything is created or loaded: an unknown name,
 * a missing or absent root, a fold the dataset does not take or lacks. Messages name the flag and the fix.
 */
export function checkDataConfig(cfg: RunConfig): DatasetFacts {
  const d = cfg.data;
  const facts = datasetFacts(d.name);
  // A frame cache replaces the root, and knows its own dataset: without --dataset its folds are checked
  // against the cache's manifest when it is opened.
  if (d.cache) {
    if (d.name === 'synthetic' || !facts.folds || d.fold === undefined || d.fold === 'all' || facts.folds.includes(d.fold)) return facts;
    throw new CliError(
      `dataset '${d.name}' has folds ${foldList(facts.folds)}: --fold ${d.fold} is not one of them (or use --fold all)`,
      2,
    );
  }
  if (!facts.needsRoot && d.root !== undefined) {
    throw new CliError(`dataset '${d.name}' reads no folder: remove --root (data.root)`, 2);
  }
  if (facts.needsRoot) {
    if (!d.root) throw new CliError(`dataset '${d.name}' needs a root folder: pass --root <dir> or set data.root in the config`, 2);
    if (!existsSync(d.root)) throw new CliError(`dataset root '${d.root}' does not exist; check --root (data.root)`, 2);
  }
  if (!facts.folds) {
    if (d.fold !== undefined) throw new CliError(`dataset '${d.name}' has no folds: remove --fold (data.fold)`, 2);
  } else if (d.fold === undefined) {
    throw new CliError(
      `dataset '${d.name}' has ${facts.folds.length} folds: pass --fold ${foldList(facts.folds)} (or --fold all for k-fold)`,
      2,
    );
  } else if (d.fold !== 'all' && !facts.folds.includes(d.fold)) {
    throw new CliError(
      `dataset '${d.name}' has folds ${foldList(facts.folds)}: --fold ${d.fold} is not one of them (or use --fold all)`,
      2,
    );
  }
  return facts;
}

/** The folds a run covers: every fold for `--fold all`, else the one given (undefined for a dataset without folds). */
export function foldsOf(cfg: RunConfig): Array<number | undefined> {
  const facts = checkDataConfig(cfg);
  if (cfg.data.fold === 'all') return [...(facts.folds ?? [])];
  return [cfg.data.fold];
}

/** Read options a frame cache takes (the others chose what the cache holds when it was prepared). */
const CACHE_READ_KEYS = ['sampling', 'stride', 'testViews', 'augment'];

/** A split of the frame cache `cfg.data.cache`; its dataset is the one it was prepared from. */
async function openCachedSplit(cfg: RunConfig, split: 'train' | 'test', input: ModelInput, fold?: number): Promise<ClipDataset> {
  const d = cfg.data;
  const dir = d.cache!;
  if (!existsSync(dir))
    throw new CliError(`frame cache '${dir}' does not exist; make it with \`adatosk datasets prepare <dataset> <root> --out ${dir}\``, 2);
  const read = Object.fromEntries(Object.entries(d.options).filter(([k]) => CACHE_READ_KEYS.includes(k)));
  try {
    const m = await readManifest(dir);
    const name = m?.identity.dataset;
    if (name && d.name !== 'synthetic' && d.name !== name)
      throw new CliError(`frame cache '${dir}' holds ${name}, but the run asks for dataset '${d.name}'`, 2);
    const folds = name ? getDataset(name)?.folds : undefined;
    if (folds && fold === undefined)
      throw new CliError(`the cache holds ${name}, which has ${folds.length} folds: pass --fold ${foldList(folds)} (or --fold all)`, 2);
    return await openCacheDataset(dir, {
      split: cacheSplitKey(name ?? d.name, { fold, split }),
      fold,
      numFrames: input.numFrames,
      size: input.imageSize,
      seed: cfg.train.seed,
      ...read,
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`frame cache '${dir}': ${(e as Error).message}`, 1);
  }
}

export async function openSplit(cfg: RunConfig, split: 'train' | 'test', input: ModelInput, fold?: number): Promise<ClipDataset> {
  const d = cfg.data;
  const facts = checkDataConfig(cfg);
  if (d.cache) return openCachedSplit(cfg, split, input, fold);
  if (facts.folds && fold === undefined) {
    throw new CliError(`dataset '${d.name}' has ${facts.folds.length} folds: pass --fold ${foldList(facts.folds)}`, 2);
  }
  let options: Record<string, unknown>;
  if (d.name === 'synthetic') {
    // The quick-start profile's difficulty and the config's clip counts (data.trainClips / data.testClips).
    options = {
      split,
      numClips: split === 'train' ? d.trainClips : d.testClips,
      numFrames: input.numFrames,
      size: input.imageSize,
      seed: cfg.train.seed,
      ...SYNTHETIC_DATA,
      ...d.options,
    };
  } else {
    options = {
      ...(facts.needsRoot ? { root: d.root } : {}),
      split,
      ...(facts.folds ? { fold } : {}),
      numFrames: input.numFrames,
      size: input.imageSize,
      seed: cfg.train.seed,
      ...d.options,
    };
  }
  try {
    return await createDatasetFromSpec({ name: d.name, options });
  } catch (e) {
    const err = e as Error;
    throw new CliError(`dataset '${d.name}'${d.root ? ` at '${d.root}'` : ''}: ${err.message}`, 1);
  }
}
