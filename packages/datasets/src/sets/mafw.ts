// MAFW: `Train & Test Set/{single,compound}/{no_caption,with_caption}/set_k/{train,test}.txt` (the folder
// may be renamed, e.g. Train_Test_Set or split), lines `<id>.mp4 <word>` or tab-separated with captions
// (decoded as UTF-8, else GB18030). Frames in data/frames/<id>/ (png) or data/faces/<id>/, videos in data/clips/<id>.mp4.
import type { DatasetDefinition } from '../registry.js';
import { join, resolve } from 'node:path';
import { readdir } from 'node:fs/promises';
import { DatasetError } from '@adatosk/core';
import { type ClipEntry, type FileClipDataset, createFileDataset } from '../file/clip-dataset.js';
import { type ClipReadOptions, resolveReadOptions } from '../file/options.js';
import { findChildNamed, findClipContainer, findDirectory, isDirectory, isFile } from '../io/paths.js';
import { readLines } from '../io/text.js';
import { indexVideos, numericKey } from '../io/video-index.js';
import { type MafwClassOrder, mafwClasses } from './classes.js';
import { type SplitName, checkFold, checkRoot, checkSplit, emptySplit, CROSS_VALIDATION_FOLDS, SPLITS } from './common.js';

export interface MafwOptions extends ClipReadOptions {
  root: string;
  fold: number;
  split: SplitName;
  /** `single` (default, 11 classes) or `compound` (11 single classes, then every combination found in the lists). */
  labels?: 'single' | 'compound';
  /** Read the `with_caption` lists instead of `no_caption` (default false). */
  captions?: boolean;
  /** `mae-dfer` (default, official id - 1) or `dfer-clip`. */
  classOrder?: MafwClassOrder;
  /** `auto` (default): data/frames (then data/faces), else data/clips videos. */
  source?: 'auto' | 'frames' | 'video';
}

const CLIP_ID = /^\d{5}$/;

/** The folder holding `single/` and `compound/`. */
export async function findMafwSplitRoot(root: string): Promise<string> {
  const dir = await findDirectory(root, (_d, children) => children.includes('single') || children.includes('compound'));
  if (!dir) {
    throw new DatasetError(`MAFW: no split lists under ${root}; expected 'Train & Test Set/single/no_caption/set_1/train.txt'`);
  }
  return dir;
}

export function mafwSplitFile(splitRoot: string, labels: 'single' | 'compound', captions: boolean, fold: number, split: SplitName): string {
  return join(splitRoot, labels, captions ? 'with_caption' : 'no_caption', `set_${fold}`, `${split}.txt`);
}

export interface MafwRow {
  id: string;
  word: string;
  line: number;
}

/** Parses one list: `<id>.mp4 <word>` or `<id>.mp4\t<word>\t<zh>\t<en>`. */
export async function parseMafwSplit(file: string): Promise<MafwRow[]> {
  const rows = (await readLines(file)).map(({ text, line }) => {
    const cells = text.includes('\t')
      ? text
          .split('\t')
          .map((c) => c.trim())
          .filter((c) => c !== '')
      : text.trim().split(/\s+/);
    if (cells.length < 2 || (!text.includes('\t') && cells.length !== 2)) {
      throw new DatasetError(`malformed line '${text}': expected '<clip>.mp4 <label>'`, file, line);
    }
    const clip = cells[0]!;
    if (/[\\/]/.test(clip) || clip.includes('..'))
      throw new DatasetError(
        `clip '${clip}' is a path; MAFW lists name clips like 00025.mp4 (a path would escape the dataset root)`,
        file,
        line,
      );
    const stem = clip.replace(/\.\w+$/, '');
    if (!/^\d+$/.test(stem)) throw new DatasetError(`malformed clip '${clip}': expected a numeric id such as 00025.mp4`, file, line);
    return { id: stem.padStart(5, '0'), word: cells[1]!.toLowerCase(), line };
  });
  if (rows.length === 0) throw emptySplit(file);
  return rows;
}

/** Compound class list: the 11 single classes, then every `_`-joined combination in any set, sorted. */
export async function mafwCompoundClasses(splitRoot: string, captions: boolean, singles: readonly string[]): Promise<string[]> {
  const dir = join(splitRoot, 'compound', captions ? 'with_caption' : 'no_caption');
  const combos = new Set<string>();
  let sets: string[] = [];
  try {
    sets = (await readdir(dir)).filter((n) => /^set_\d+$/.test(n));
  } catch {
    throw new DatasetError(`MAFW: compound lists missing: ${dir}`);
  }
  for (const set of sets.sort()) {
    for (const split of ['train', 'test']) {
      const file = join(dir, set, `${split}.txt`);
      if (!(await isFile(file))) continue;
      for (const row of await parseMafwSplit(file)) if (!singles.includes(row.word)) combos.add(row.word);
    }
  }
  return [...singles, ...[...combos].sort()];
}

export async function locateMafwSources(root: string, source: MafwOptions['source'] = 'auto') {
  let frameRoot: string | undefined;
  if (source !== 'video') {
    for (const name of ['frames', 'faces']) {
      const dir = await findChildNamed(root, [name]);
      frameRoot = dir ? await findClipContainer(dir, CLIP_ID) : undefined;
      if (frameRoot) break;
    }
  }
  let videos = new Map<string, string>();
  if (source !== 'frames') {
    const clips = await findChildNamed(root, ['clips']);
    if (clips) videos = await indexVideos(clips, numericKey(5));
  }
  if (!frameRoot && videos.size === 0) {
    throw new DatasetError(
      `MAFW: no clips under ${root} for source '${source}'; expected data/frames/<5-digit id>/*.png or data/clips/<id>.mp4`,
    );
  }
  return { frameRoot, videos };
}

export function mafwEntry(
  id: string,
  label: number,
  sources: Awaited<ReturnType<typeof locateMafwSources>>,
  origin: { file: string; line: number },
): ClipEntry {
  const video = sources.videos.get(id);
  return {
    id,
    label,
    ...(sources.frameRoot ? { frameDir: join(sources.frameRoot, id) } : {}),
    ...(video ? { videoFiles: [video] } : {}),
    origin,
  };
}

export async function openMafw(options: MafwOptions): Promise<FileClipDataset> {
  const root = resolve(checkRoot(options.root, 'mafw'));
  if (!(await isDirectory(root))) throw new DatasetError(`mafw: root ${root} is not a folder`);
  const fold = checkFold(options.fold, 'mafw');
  const split = checkSplit(options.split, 'mafw');
  const labels = options.labels ?? 'single';
  if (labels !== 'single' && labels !== 'compound')
    throw new DatasetError(`mafw: labels must be 'single' or 'compound', got '${String(labels)}'`);
  const captions = options.captions ?? false;
  const singles = mafwClasses(options.classOrder ?? 'mae-dfer');
  const read = resolveReadOptions(options, { stride: 4 });
  const splitRoot = await findMafwSplitRoot(root);
  const file = mafwSplitFile(splitRoot, labels, captions, fold, split);
  if (!(await isFile(file))) throw new DatasetError(`MAFW: split list ${file} is missing`);
  const classes = labels === 'compound' ? await mafwCompoundClasses(splitRoot, captions, singles) : singles;
  const rows = await parseMafwSplit(file);
  const sources = await locateMafwSources(root, options.source ?? 'auto');
  const entries = rows.map((r) => {
    if (labels === 'compound') {
      for (const w of r.word.split('_')) {
        if (!singles.includes(w))
          throw new DatasetError(`unknown label '${r.word}': '${w}' is not one of ${singles.join(', ')}`, file, r.line);
      }
    }
    const label = classes.indexOf(r.word);
    if (label < 0) throw new DatasetError(`unknown label '${r.word}': MAFW single labels are ${singles.join(', ')}`, file, r.line);
    return mafwEntry(r.id, label, sources, { file, line: r.line });
  });
  return createFileDataset(`mafw/${labels}/fold${fold}/${split}`, classes, entries, read);
}

/** The registry entry (registered by the package entry point). */
export const mafwDataset: DatasetDefinition<MafwOptions> = {
  name: 'mafw',
  description: 'MAFW (11 classes or compound, 5 folds): { root, fold, split, labels?, classOrder? }',
  needsRoot: true,
  folds: CROSS_VALIDATION_FOLDS,
  splits: SPLITS,
  create: openMafw,
};
