// Which splits a dataset has, and the key each gets in a cache: DFEW and MAFW `fold<k>/<split>`, FERV39K
// and class-per-folder datasets `<split>`, list datasets the list file's name.
import { basename } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { createDatasetFromSpec } from '../registry.js';
import type { FileClipDataset } from '../file/clip-dataset.js';

export interface SplitSelection {
  /** DFEW, MAFW: folds (default 1..5). */
  folds?: number[];
  /** `train`, `test` (default both); class-per-folder datasets: sub-folders (default: the root itself). */
  splits?: string[];
  /** List datasets: list files (relative to the root or absolute). */
  listFiles?: string[];
}

export interface SplitRequest {
  key: string;
  options: Record<string, unknown>;
}

const FOLDED = new Set(['dfew', 'mafw']);

/** The cache key of one split. */
export function cacheSplitKey(dataset: string, where: { fold?: number; split?: string; listFile?: string }): string {
  if (FOLDED.has(dataset)) return `fold${where.fold}/${where.split}`;
  if (dataset === 'list') return basename(where.listFile ?? '').replace(/\.\w+$/, '');
  return where.split ?? 'all';
}

/** The splits to read for a cache of `dataset`. */
export function splitRequests(dataset: string, s: SplitSelection): SplitRequest[] {
  if (dataset === 'synthetic') throw new DatasetError('the synthetic dataset is generated in memory; it needs no cache');
  if (dataset === 'list') {
    if (!s.listFiles?.length) throw new DatasetError('list: pass the list file(s) to cache (--list-file)');
    return s.listFiles.map((listFile) => ({ key: cacheSplitKey(dataset, { listFile }), options: { listFile } }));
  }
  if (FOLDED.has(dataset)) {
    const folds = s.folds ?? [1, 2, 3, 4, 5];
    const splits = s.splits ?? ['train', 'test'];
    return folds.flatMap((fold) => splits.map((split) => ({ key: cacheSplitKey(dataset, { fold, split }), options: { fold, split } })));
  }
  if (dataset === 'folder')
    return (s.splits ?? [undefined]).map((split) => ({ key: cacheSplitKey(dataset, { split }), options: split ? { split } : {} }));
  return (s.splits ?? ['train', 'test']).map((split) => ({ key: cacheSplitKey(dataset, { split }), options: { split } }));
}

/** Opens one split through the registry; it must be a file dataset (with entries). */
export async function openSplitForCache(
  dataset: string,
  root: string,
  request: SplitRequest,
  options: Record<string, unknown>,
): Promise<FileClipDataset> {
  const ds = await createDatasetFromSpec({ name: dataset, options: { ...options, ...request.options, root } });
  const file = ds as Partial<FileClipDataset>;
  if (!Array.isArray(file.entries) || typeof file.resolve !== 'function') {
    throw new DatasetError(`dataset '${dataset}' does not read clips from files, so it cannot be cached`);
  }
  return ds as FileClipDataset;
}
