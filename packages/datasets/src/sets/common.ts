// Helpers shared by the dataset definitions: option checks and split-file errors.
import { DatasetError } from '@adatosk/core';

export type SplitName = 'train' | 'test';

/** The splits of the published datasets. */
export const SPLITS: readonly SplitName[] = ['train', 'test'];

/** DFEW's and MAFW's cross-validation folds. */
export const CROSS_VALIDATION_FOLDS: readonly number[] = [1, 2, 3, 4, 5];

export function checkSplit(split: unknown, dataset: string): SplitName {
  if (split !== 'train' && split !== 'test') throw new DatasetError(`${dataset}: split must be 'train' or 'test', got '${String(split)}'`);
  return split;
}

export function checkFold(fold: unknown, dataset: string): number {
  if (!(typeof fold === 'number' && CROSS_VALIDATION_FOLDS.includes(fold))) {
    throw new DatasetError(
      `${dataset}: fold must be ${CROSS_VALIDATION_FOLDS[0]}..${CROSS_VALIDATION_FOLDS.at(-1)}, got '${String(fold)}'`,
    );
  }
  return fold;
}

export function checkRoot(root: unknown, dataset: string): string {
  if (typeof root !== 'string' || root === '') throw new DatasetError(`${dataset}: option 'root' (the dataset folder) is required`);
  return root;
}

export function emptySplit(file: string): DatasetError {
  return new DatasetError('split file lists no clips; re-download or re-extract it', file);
}
