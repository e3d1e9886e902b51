// Unlabelled clips for self-supervised pre-training: every video file and every folder of frames under a
// root (any depth), each one clip. Built on @adatosk/datasets' file dataset, so decoding, temporal
// sampling, augmentation and the skip-and-count of broken clips are the labelled datasets' own.
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createFileDataset, type ClipEntry, type FileClipDataset } from '@adatosk/datasets';
import { CliError } from '../errors.js';

const VIDEO = /\.(mp4|avi|mov|mkv|webm)$/i;
const IMAGE = /\.(jpe?g|png|bmp)$/i;

/** Video files and frame folders under `root`, sorted, at most `maxDepth` folders deep. */
export async function findClips(root: string, maxDepth = 6): Promise<ClipEntry[]> {
  const entries: ClipEntry[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const items = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    // A folder that holds images is one clip of frames (its sub-folders are not searched).
    if (items.some((e) => e.isFile() && IMAGE.test(e.name))) {
      entries.push({ id: relative(root, dir) || '.', label: 0, frameDir: dir });
      return;
    }
    for (const e of items) {
      const path = join(dir, e.name);
      if (e.isFile() && VIDEO.test(e.name)) entries.push({ id: relative(root, path).replace(VIDEO, ''), label: 0, videoFiles: [path] });
      else if (e.isDirectory() && depth < maxDepth) await walk(path, depth + 1);
    }
  };
  await walk(root, 0);
  return entries;
}

export interface UnlabelledOptions {
  numFrames: number;
  size: number;
  seed: number;
  /** Frame stride of the sampling window (default 4, as the class-per-folder dataset). */
  stride?: number;
}

/** A dataset of the clips under `root`, all labelled 0 (the labels are never used by pre-training). */
export async function openUnlabelledVideos(root: string, o: UnlabelledOptions): Promise<FileClipDataset> {
  const dir = resolve(root);
  let entries: ClipEntry[];
  try {
    entries = await findClips(dir);
  } catch (e) {
    throw new CliError(
      `--videos '${root}' cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a folder of videos or frame folders`,
      2,
    );
  }
  if (entries.length === 0) {
    throw new CliError(
      `--videos '${root}' holds no clips: expected video files (.mp4 .avi .mov .mkv .webm) or folders of frames (.jpg .png .bmp)`,
      2,
    );
  }
  return createFileDataset(`videos/${root}`, ['unlabelled'], entries, {
    numFrames: o.numFrames,
    size: o.size,
    sampling: 'mae-dfer',
    stride: o.stride ?? 4,
    testViews: 1,
    seed: o.seed,
    // VideoMAE pre-training uses random resized crops and flips, as fine-tuning does.
    augment: {},
  });
}
