// FERV39K: 4_setups/All_scenes/{train_All,test_All}.csv (space-separated, no header:
// `<Scene>/<Emotion>/<NNNN> <Emotion>`), frames in 2_ClipsforFaceCrop/<Scene>/<Emotion>/<NNNN>/ (extra
// nesting like 2_ClipsforFaceCrop/2_ClipsforFaceCrop/ is found), or <clip>.mp4/.avi next to where the folder would be.
import type { DatasetDefinition } from '../registry.js';
import { resolve } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { type ClipEntry, type FileClipDataset, createFileDataset } from '../file/clip-dataset.js';
import { type ClipReadOptions, resolveReadOptions } from '../file/options.js';
import { findDirectory, findFile, isDirectory, safeJoin } from '../io/paths.js';
import { readLines } from '../io/text.js';
import { FERV39K_CLASSES, FERV39K_SCENES } from './classes.js';
import { type SplitName, checkRoot, checkSplit, emptySplit, SPLITS } from './common.js';

export interface Ferv39kOptions extends ClipReadOptions {
  root: string;
  split: SplitName;
  /** `auto` (default): frame folders, else videos named after the clip path. */
  source?: 'auto' | 'frames' | 'video';
}

const SCENES = new Set<string>(FERV39K_SCENES);

export async function findFerv39kSplitFile(root: string, split: SplitName): Promise<string> {
  const name = `${split}_All.csv`;
  const file = await findFile(root, [name], { maxDepth: 5 });
  if (!file) throw new DatasetError(`FERV39K: ${name} not found under ${root}; expected 4_setups/All_scenes/${name}`);
  return file;
}

/** Parses `<Scene>/<Emotion>/<NNNN> <Emotion>` lines. */
export async function parseFerv39kSplit(file: string): Promise<{ rel: string; label: number; line: number }[]> {
  const byWord = new Map(FERV39K_CLASSES.map((c, i) => [c.toLowerCase(), i]));
  const rows = (await readLines(file)).map(({ text, line }) => {
    const m = text.trim().match(/^(.+?)\s+(\S+)$/);
    if (!m) throw new DatasetError(`malformed line '${text}': expected '<Scene>/<Emotion>/<NNNN> <Emotion>'`, file, line);
    const rel = m[1]!.replace(/\\/g, '/').replace(/\/+$/, '');
    const label = byWord.get(m[2]!.toLowerCase());
    if (label === undefined)
      throw new DatasetError(`unknown label '${m[2]}': FERV39K labels are ${FERV39K_CLASSES.join(', ')}`, file, line);
    return { rel, label, line };
  });
  if (rows.length === 0) throw emptySplit(file);
  return rows;
}

/** The folder that directly holds the scene folders (inside 2_ClipsforFaceCrop, however nested). */
export async function findFerv39kFaceRoot(root: string): Promise<string | undefined> {
  const hasScenes = (children: string[]) => children.some((c) => SCENES.has(c));
  // Prefer the face crops over 3_ClipsforScenImages, whatever the nesting depth of each.
  const skip = (n: string) => SCENES.has(n) || /^\d+$/.test(n);
  const crop = await findDirectory(root, (d, children) => /2_ClipsforFaceCrop/i.test(d) && hasScenes(children), { skip });
  return crop ?? (await findDirectory(root, (d, children) => !/ClipsforScenImages/i.test(d) && hasScenes(children), { skip }));
}

export function ferv39kEntry(rel: string, label: number, faceRoot: string, source: string, file: string, line: number): ClipEntry {
  const dir = safeJoin(faceRoot, rel, file, line);
  return {
    id: rel,
    label,
    ...(source !== 'video' ? { frameDir: dir } : {}),
    ...(source !== 'frames' ? { videoFiles: [`${dir}.mp4`, `${dir}.avi`] } : {}),
    origin: { file, line },
  };
}

export async function openFerv39k(options: Ferv39kOptions): Promise<FileClipDataset> {
  const root = resolve(checkRoot(options.root, 'ferv39k'));
  if (!(await isDirectory(root))) throw new DatasetError(`ferv39k: root ${root} is not a folder`);
  const split = checkSplit(options.split, 'ferv39k');
  const read = resolveReadOptions(options, { stride: 1 });
  const file = await findFerv39kSplitFile(root, split);
  const rows = await parseFerv39kSplit(file);
  const faceRoot = await findFerv39kFaceRoot(root);
  if (!faceRoot) throw new DatasetError(`FERV39K: no 2_ClipsforFaceCrop/<Scene>/<Emotion>/<NNNN>/ folders under ${root}`);
  const entries = rows.map((r) => ferv39kEntry(r.rel, r.label, faceRoot, options.source ?? 'auto', file, r.line));
  return createFileDataset(`ferv39k/${split}`, FERV39K_CLASSES, entries, read);
}

/** The registry entry (registered by the package entry point). */
export const ferv39kDataset: DatasetDefinition<Ferv39kOptions> = {
  name: 'ferv39k',
  description: 'FERV39K (7 classes, fixed split): { root, split }',
  needsRoot: true,
  splits: SPLITS,
  create: openFerv39k,
};
