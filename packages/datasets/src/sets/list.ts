// Users' own data as a list file: `<path> <label>` per line (also DFER-CLIP's `<path> <num_frames> <label>`),
// paths relative to `root` (absolute ones must lie inside it), labels 0-based integers or class names.
import type { DatasetDefinition } from '../registry.js';
import { isAbsolute, resolve } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { type ClipEntry, type FileClipDataset, createFileDataset } from '../file/clip-dataset.js';
import { type ClipReadOptions, resolveReadOptions } from '../file/options.js';
import { isDirectory, safeJoin } from '../io/paths.js';
import { readLines } from '../io/text.js';
import { VIDEO_RE } from '../io/video-index.js';
import { checkRoot, emptySplit } from './common.js';

export interface ListOptions extends ClipReadOptions {
  /** Folder the paths are relative to. */
  root: string;
  /** The list file (relative to `root` or absolute). */
  listFile: string;
  /** Class names in label order; needed for word labels. Default: '0'..'max label'. */
  classes?: string[];
  /** Dataset name suffix, e.g. `train` (default: the list file name). */
  name?: string;
}

export async function openList(options: ListOptions): Promise<FileClipDataset> {
  const root = resolve(checkRoot(options.root, 'list'));
  if (!(await isDirectory(root))) throw new DatasetError(`list: root ${root} is not a folder`);
  if (!options.listFile) throw new DatasetError(`list: option 'listFile' is required`);
  const file = isAbsolute(options.listFile) ? options.listFile : resolve(root, options.listFile);
  const rows = (await readLines(file)).map(({ text, line }) => {
    const t = text.trim().split(/\s+/);
    if (!(t.length === 2 || (t.length === 3 && /^\d+$/.test(t[1]!)))) {
      throw new DatasetError(`malformed line '${text}': expected '<path> <label>' or '<path> <num_frames> <label>'`, file, line);
    }
    return { path: t[0]!, label: t[t.length - 1]!, line };
  });
  if (rows.length === 0) throw emptySplit(file);
  let classes = options.classes;
  if (!classes) {
    let max = -1;
    for (const r of rows) {
      if (!/^\d+$/.test(r.label))
        throw new DatasetError(`label '${r.label}' is not an integer; pass 'classes' to use class names`, file, r.line);
      max = Math.max(max, Number(r.label));
    }
    classes = Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  const known = classes;
  const entries: ClipEntry[] = rows.map((r) => {
    let label = /^\d+$/.test(r.label) ? Number(r.label) : known.indexOf(r.label);
    if (label < 0 || label >= known.length) {
      // A word that is also not a class name, or an index past the class list.
      label = known.findIndex((c) => c.toLowerCase() === r.label.toLowerCase());
      if (label < 0)
        throw new DatasetError(`unknown label '${r.label}': classes are ${known.map((c, i) => `${i} ${c}`).join(', ')}`, file, r.line);
    }
    const path = safeJoin(root, r.path, file, r.line);
    const id = r.path.replace(/\\/g, '/').replace(/\/+$/, '');
    return VIDEO_RE.test(path)
      ? { id, label, videoFiles: [path], origin: { file, line: r.line } }
      : { id, label, frameDir: path, origin: { file, line: r.line } };
  });
  const name =
    options.name ??
    file
      .split(/[\\/]/)
      .pop()!
      .replace(/\.\w+$/, '');
  return createFileDataset(`list/${name}`, known, entries, resolveReadOptions(options, { stride: 4 }));
}

/** The registry entry (registered by the package entry point). */
export const listDataset: DatasetDefinition<ListOptions> = {
  name: 'list',
  description: "list file of '<path> <label>' lines: { root, listFile, classes? }",
  needsRoot: true,
  splits: [],
  create: openList,
};
