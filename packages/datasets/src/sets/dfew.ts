// DFEW: EmoLabel_DataSplit/{train,test}(single-labeled)/set_k.csv (either spelling, or the authors'
// label/single_{train,test}set_k.csv), labels 1..7, clips in Clip/clip_224x224/<5-digit id>/ (or
// clip_224x224_16f, MAE-DFER's jpg_256, data_affine/single_label/data), or videos in Clip/original
// (stems possibly unpadded) and clip_224x224_avi.
import type { DatasetDefinition } from '../registry.js';
import { join, resolve } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { type ClipEntry, type FileClipDataset, createFileDataset } from '../file/clip-dataset.js';
import { type ClipReadOptions, resolveReadOptions } from '../file/options.js';
import { readLines } from '../io/text.js';
import { indexVideos, numericKey } from '../io/video-index.js';
import { findChildNamed, findClipContainer, findDirectory, findFile, isDirectory } from '../io/paths.js';
import { DFEW_CLASSES } from './classes.js';
import { type SplitName, checkFold, checkRoot, checkSplit, emptySplit, CROSS_VALIDATION_FOLDS, SPLITS } from './common.js';

export interface DfewOptions extends ClipReadOptions {
  /** The DFEW folder (extra nesting from unzipping is fine). */
  root: string;
  /** Cross-validation fold, 1..5 (`set_1` .. `set_5`). */
  fold: number;
  split: SplitName;
  /** `auto` (default): frame folders (clip_224x224, then clip_224x224_16f), else videos. */
  source?: 'auto' | 'frames' | 'frames16' | 'video';
}

const SPLIT_DIRS = (split: SplitName) => [`${split}(single-labeled)`, `${split}(single_labeled)`];
const FRAME_DIRS = ['clip_224x224', 'jpg_256', 'jpg_224'];
const FRAME16_DIRS = ['clip_224x224_16f'];
const CLIP_ID = /^\d{5}$/;

/** Locates set_<fold>.csv for a split. */
export async function findDfewSplitFile(root: string, split: SplitName, fold: number): Promise<string> {
  const dir = await findChildNamed(root, SPLIT_DIRS(split));
  if (dir) {
    const file = join(dir, `set_${fold}.csv`);
    if (await findFile(dir, [`set_${fold}.csv`], { maxDepth: 0 })) return file;
    throw new DatasetError(`DFEW: ${file} is missing (expected set_1.csv .. set_5.csv in ${dir})`);
  }
  const authors = await findFile(root, [`single_${split}set_${fold}.csv`]);
  if (authors) return authors;
  throw new DatasetError(
    `DFEW: no split files under ${root}; expected EmoLabel_DataSplit/${split}(single-labeled)/set_${fold}.csv ` +
      `(or the '(single_labeled)' spelling, or label/single_${split}set_${fold}.csv)`,
  );
}

/** Parses a DFEW split CSV (`video_name,label`, header optional) into (id, 0-based label) rows. */
export async function parseDfewSplit(file: string): Promise<{ id: string; label: number; line: number }[]> {
  const lines = await readLines(file);
  let nameCol = 0,
    labelCol = 1;
  const first = lines[0]?.text.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase()) ?? [];
  if (first.length > 0 && !/^\d/.test(first[0]!)) {
    nameCol = first.indexOf('video_name');
    labelCol = first.indexOf('label');
    if (nameCol < 0 || labelCol < 0) {
      throw new DatasetError(`header '${lines[0]!.text}' lacks the columns video_name and label`, file, lines[0]!.line);
    }
    lines.shift();
  }
  const rows = lines.map(({ text, line }) => {
    const cells = text.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const name = cells[nameCol],
      label = cells[labelCol];
    if (name === undefined || label === undefined)
      throw new DatasetError(`malformed line '${text}': expected video_name,label`, file, line);
    const m = name.match(/^(\d+)(\.\w+)?$/);
    if (!m) throw new DatasetError(`malformed video_name '${name}': expected an integer clip id`, file, line);
    const value = Number(label);
    if (!(Number.isInteger(value) && value >= 1 && value <= 7)) {
      throw new DatasetError(
        `unknown label '${label}': DFEW labels are 1..7 (${DFEW_CLASSES.map((c, i) => `${i + 1} ${c}`).join(', ')})`,
        file,
        line,
      );
    }
    return { id: String(Number(m[1])).padStart(5, '0'), label: value - 1, line };
  });
  if (rows.length === 0) throw emptySplit(file);
  return rows;
}

async function findFrameRoot(root: string, names: string[]): Promise<string | undefined> {
  const top = await findChildNamed(root, names);
  if (top) return findClipContainer(top, CLIP_ID);
  // The authors' repackaging: data_affine/single_label/data/<id>/
  const authors = await findDirectory(root, (d, children) => d.endsWith('single_label') && children.includes('data'));
  return authors ? findClipContainer(join(authors, 'data'), CLIP_ID) : undefined;
}

/** Where DFEW clips can come from under `root`. */
export async function locateDfewSources(root: string, source: DfewOptions['source'] = 'auto') {
  const frames = source === 'auto' || source === 'frames' ? await findFrameRoot(root, FRAME_DIRS) : undefined;
  const frames16 = !frames && (source === 'auto' || source === 'frames16') ? await findFrameRoot(root, FRAME16_DIRS) : undefined;
  const frameRoot = frames ?? frames16;
  const videos = new Map<string, string>();
  if (source === 'auto' || source === 'video') {
    for (const name of ['original', 'clip_224x224_avi']) {
      const dir = await findChildNamed(root, [name]);
      if (!dir) continue;
      for (const [k, v] of await indexVideos(dir, numericKey(5))) if (!videos.has(k)) videos.set(k, v);
    }
  }
  if (!frameRoot && videos.size === 0) {
    throw new DatasetError(
      `DFEW: no clips under ${root} for source '${source}'; expected Clip/clip_224x224/<5-digit id>/*.jpg, ` +
        `Clip/clip_224x224_16f/<id>/, or videos in Clip/original/<id>.mp4`,
    );
  }
  return { frameRoot, videos };
}

export function dfewEntry(
  id: string,
  label: number,
  sources: Awaited<ReturnType<typeof locateDfewSources>>,
  origin?: { file: string; line: number },
): ClipEntry {
  const video = sources.videos.get(id);
  const videoFiles = video ? [video] : [];
  return {
    id,
    label,
    ...(sources.frameRoot ? { frameDir: join(sources.frameRoot, id) } : {}),
    ...(videoFiles.length ? { videoFiles } : {}),
    ...(origin ? { origin } : {}),
  };
}

export async function openDfew(options: DfewOptions): Promise<FileClipDataset> {
  const root = resolve(checkRoot(options.root, 'dfew'));
  if (!(await isDirectory(root))) throw new DatasetError(`dfew: root ${root} is not a folder`);
  const fold = checkFold(options.fold, 'dfew');
  const split = checkSplit(options.split, 'dfew');
  const read = resolveReadOptions(options, { stride: 4 });
  const file = await findDfewSplitFile(root, split, fold);
  const rows = await parseDfewSplit(file);
  const sources = await locateDfewSources(root, options.source ?? 'auto');
  const entries = rows.map((r) => dfewEntry(r.id, r.label, sources, { file, line: r.line }));
  return createFileDataset(`dfew/fold${fold}/${split}`, DFEW_CLASSES, entries, read);
}

/** The registry entry (registered by the package entry point). */
export const dfewDataset: DatasetDefinition<DfewOptions> = {
  name: 'dfew',
  description: 'DFEW (7 classes, 5 folds): { root, fold, split }',
  needsRoot: true,
  folds: CROSS_VALIDATION_FOLDS,
  splits: SPLITS,
  create: openDfew,
};
