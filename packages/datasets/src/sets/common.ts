// Helpers shared by the dataset definitions: option checks and split-file errors.
import { DatasetError } from '@adatosk/core';

export type SplitName = 'train' | 'test';

export function checkSplit(split: unknown, dataset: string): SplitName {
  if (split !== 'train' && split !== 'test') throw new DatasetError(`${dataset}: split must be 'train' or 'test', got '${String(split)}'`);
  return split;
}

export function checkFold(fold: unknown, dataset: string): number {
  if (!(typeof fold === 'number' && Number.isInteger(fold) && fold >= 1 && fold <= 5)) {
    throw new DatasetError(`${dataset}: fold must be 1..5, got '${String(fold)}'`);
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
