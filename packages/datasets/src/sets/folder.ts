// Users' own data, class per folder: <root>/[<split>/]<Class>/<clip>, where <clip> is a folder of frames
// or a video file. Classes default to the sorted folder names.
import type { DatasetDefinition } from '../registry.js';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { type ClipEntry, type FileClipDataset, createFileDataset } from '../file/clip-dataset.js';
import { type ClipReadOptions, resolveReadOptions } from '../file/options.js';
import { isDirectory } from '../io/paths.js';
import { VIDEO_RE } from '../io/video-index.js';
import { checkRoot } from './common.js';

export interface FolderOptions extends ClipReadOptions {
  root: string;
  /** Sub-folder of `root` holding the class folders, e.g. `train` (default: root itself). */
  split?: string;
  /** Class order (default: sorted class folder names). Folders not listed are an error. */
  classes?: string[];
}

export async function openFolder(options: FolderOptions): Promise<FileClipDataset> {
  const root = resolve(checkRoot(options.root, 'folder'));
  const base = options.split ? join(root, options.split) : root;
  if (options.split && /(^|[\\/])\.\.([\\/]|$)/.test(options.split))
    throw new DatasetError(`folder: split '${options.split}' escapes the root`);
  if (!(await isDirectory(base)))
    throw new DatasetError(`folder: ${base} is not a folder; expected <root>/${options.split ? `${options.split}/` : ''}<Class>/<clip>`);
  const classDirs = (await readdir(base, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const classes = options.classes ?? classDirs;
  for (const c of classDirs) {
    if (!classes.includes(c))
      throw new DatasetError(`folder: class folder '${c}' is not in classes [${classes.join(', ')}]`, join(base, c));
  }
  const entries: ClipEntry[] = [];
  for (const c of classDirs) {
    const items = (await readdir(join(base, c), { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      const path = join(base, c, item.name);
      if (item.isDirectory()) entries.push({ id: `${c}/${item.name}`, label: classes.indexOf(c), frameDir: path });
      else if (VIDEO_RE.test(item.name))
        entries.push({ id: `${c}/${item.name.replace(VIDEO_RE, '')}`, label: classes.indexOf(c), videoFiles: [path] });
    }
  }
  if (entries.length === 0) throw new DatasetError(`folder: no clips (frame folders or videos) in ${base}/<Class>/`, base);
  return createFileDataset(`folder/${options.split ?? 'all'}`, classes, entries, resolveReadOptions(options, { stride: 4 }));
}

/** The registry entry (registered by the package entry point). */
export const folderDataset: DatasetDefinition<FolderOptions> = {
  name: 'folder',
  description: 'class-per-folder clips: { root, split?, classes? }',
  needsRoot: true,
  // `split` names any sub-folder of the root.
  splits: [],
  create: openFolder,
};
