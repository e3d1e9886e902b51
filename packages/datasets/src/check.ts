// Checks a copy of DFEW, FERV39K or MAFW: counts per split and fold against the known counts of a complete
// copy, per-class counts, and (optionally) that every clip exists or decodes. Returns data; the CLI prints it.
import { isDatasetError, isClipLoadError } from '@adatosk/core';
import { resolve } from 'node:path';
import type { ClipEntry, FileClipDataset } from './file/clip-dataset.js';
import { listFrames } from './io/frames.js';
import { decodeFrame } from './io/image.js';
import { isFile } from './io/paths.js';
import { decodeVideo } from './io/video.js';
import { Semaphore } from './pipeline/semaphore.js';
import { dfewDataset, openDfew } from './sets/dfew.js';
import { ferv39kDataset, openFerv39k } from './sets/ferv39k.js';
import { KNOWN_COUNTS } from './sets/known-counts.js';
import { type MafwOptions, mafwDataset, openMafw } from './sets/mafw.js';

export type CheckableDataset = 'dfew' | 'ferv39k' | 'mafw';

/** The datasets `checkDataset` knows the published counts of. */
export const CHECKABLE_DATASETS: readonly CheckableDataset[] = ['dfew', 'ferv39k', 'mafw'];
const DEFINITIONS = { dfew: dfewDataset, ferv39k: ferv39kDataset, mafw: mafwDataset } as const;

export interface CheckOptions {
  /** `exists` (default): every clip has frames or a video; `decode`: every frame decodes; `none`: counts only. */
  verify?: 'none' | 'exists' | 'decode';
  /** Passed to the loader (e.g. DFEW `frames16`, `video`). */
  source?: string;
  /** MAFW only. */
  labels?: MafwOptions['labels'];
  captions?: boolean;
  classOrder?: MafwOptions['classOrder'];
  /** Clips verified at once (default 8). */
  concurrency?: number;
  /** Progress callback over unique clips. */
  onProgress?: (done: number, total: number) => void;
}

export interface ClipProblem {
  id: string;
  message: string;
}

export interface SplitCheck {
  fold?: number;
  split: 'train' | 'test';
  /** Split file read, where found. */
  file?: string;
  count: number;
  /** Count of a complete copy, where known. */
  expected?: number;
  /** count === expected (undefined where nothing is known, e.g. MAFW compound). */
  countOk?: boolean;
  perClass: number[];
  /** Clips of this split that are missing or unreadable (ids). */
  missing: string[];
  unreadable: string[];
  /** The split could not be read at all (missing or malformed split file). */
  error?: string;
}

export interface DatasetCheckReport {
  dataset: CheckableDataset;
  root: string;
  classes: readonly string[];
  verify: 'none' | 'exists' | 'decode';
  splits: SplitCheck[];
  clips: { unique: number; verified: number; missing: ClipProblem[]; unreadable: ClipProblem[] };
  /** Human-readable differences from a complete copy. */
  differences: string[];
  ok: boolean;
}

async function verifyClip(e: ClipEntry, mode: 'exists' | 'decode'): Promise<void> {
  if (e.frameDir) {
    try {
      const files = await listFrames(e.frameDir, e.id);
      if (mode === 'decode') {
        for (const path of files) await decodeFrame({ kind: 'file', path }, { crop: { x: 0, y: 0, w: 1, h: 1 }, flip: false, size: 16 });
      }
      return;
    } catch (error) {
      if (!e.videoFiles?.length) throw error;
    }
  }
  for (const file of e.videoFiles ?? []) {
    if (await isFile(file)) {
      if (mode === 'decode') await decodeVideo(file, e.id, 16);
      return;
    }
  }
  throw Object.assign(new Error(`no frames or video (tried ${[e.frameDir, ...(e.videoFiles ?? [])].filter(Boolean).join(', ')})`), {
    missing: true,
  });
}

/** Checks a dataset copy at `root`; never throws for a broken copy, only for a bad `name`. */
export async function checkDataset(name: CheckableDataset, root: string, options: CheckOptions = {}): Promise<DatasetCheckReport> {
  if (!(name in KNOWN_COUNTS))
    throw new RangeError(`checkDataset: unknown dataset '${String(name)}'; use ${CHECKABLE_DATASETS.join(', ')}`);
  const verify = options.verify ?? 'exists';
  const folds: Array<number | undefined> = DEFINITIONS[name].folds ? [...DEFINITIONS[name].folds!] : [undefined];
  const compound = name === 'mafw' && (options.labels === 'compound' || options.captions);
  const splits: SplitCheck[] = [];
  const datasets: { check: SplitCheck; ds?: FileClipDataset }[] = [];
  let classes: readonly string[] = [];
  for (const fold of folds) {
    for (const split of ['train', 'test'] as const) {
      const known = KNOWN_COUNTS[name].find((k) => k.fold === fold);
      const check: SplitCheck = { ...(fold ? { fold } : {}), split, count: 0, perClass: [], missing: [], unreadable: [] };
      if (known && !compound) check.expected = known[split];
      try {
        const common = { root, split, augment: false as const, size: 16 };
        const ds =
          name === 'dfew'
            ? await openDfew({ ...common, fold: fold!, source: (options.source ?? 'auto') as 'auto' })
            : name === 'ferv39k'
              ? await openFerv39k({ ...common, source: (options.source ?? 'auto') as 'auto' })
              : await openMafw({
                  ...common,
                  fold: fold!,
                  source: (options.source ?? 'auto') as 'auto',
                  labels: options.labels,
                  captions: options.captions,
                  classOrder: options.classOrder,
                });
        classes = ds.classes;
        check.file = ds.entries[0]?.origin?.file;
        check.count = ds.length;
        check.perClass = ds.classes.map((_, c) => ds.labels.filter((l) => l === c).length);
        datasets.push({ check, ds });
      } catch (error) {
        if (!isDatasetError(error)) throw error;
        check.error = error.message;
        datasets.push({ check });
      }
      if (check.expected !== undefined && !check.error) check.countOk = check.count === check.expected;
      splits.push(check);
    }
  }

  // Verify each unique clip once.
  const unique = new Map<string, ClipEntry>();
  for (const { ds } of datasets) for (const e of ds?.entries ?? []) if (!unique.has(e.id)) unique.set(e.id, e);
  const missing: ClipProblem[] = [],
    unreadable: ClipProblem[] = [];
  let verified = 0;
  if (verify !== 'none') {
    const semaphore = new Semaphore(options.concurrency ?? 8);
    let done = 0;
    await Promise.all(
      [...unique.values()].map((e) =>
        semaphore.run(async () => {
          try {
            await verifyClip(e, verify);
            verified++;
          } catch (error) {
            const message = (error as Error).message;
            const isMissing =
              (error as { missing?: boolean }).missing || (isClipLoadError(error) && (error.kind === 'missing' || error.kind === 'empty'));
            (isMissing ? missing : unreadable).push({ id: e.id, message });
          }
          options.onProgress?.(++done, unique.size);
        }),
      ),
    );
    missing.sort((a, b) => (a.id < b.id ? -1 : 1));
    unreadable.sort((a, b) => (a.id < b.id ? -1 : 1));
    const missingIds = new Set(missing.map((m) => m.id)),
      unreadableIds = new Set(unreadable.map((m) => m.id));
    for (const { check, ds } of datasets) {
      for (const e of ds?.entries ?? []) {
        if (missingIds.has(e.id)) check.missing.push(e.id);
        if (unreadableIds.has(e.id)) check.unreadable.push(e.id);
      }
    }
  }

  const differences: string[] = [];
  for (const s of splits) {
    const where = `${s.fold ? `fold ${s.fold} ` : ''}${s.split}`;
    if (s.error) differences.push(`${where}: ${s.error}`);
    else if (s.countOk === false) differences.push(`${where}: ${s.count} clips listed, a complete copy has ${s.expected}`);
    if (s.missing.length) differences.push(`${where}: ${s.missing.length} clips missing`);
    if (s.unreadable.length) differences.push(`${where}: ${s.unreadable.length} clips unreadable`);
  }
  return {
    dataset: name,
    root: resolve(root),
    classes,
    verify,
    splits,
    clips: { unique: unique.size, verified, missing, unreadable },
    differences,
    ok: differences.length === 0,
  };
}
