// Where a raw video's face frames go so that the dataset loaders read them: each layout maps a video under
// the dataset root to the frame folder the loader looks for (the loaders prefer frame folders to videos).
import { basename, dirname, extname, join, relative, sep } from 'node:path';

export type FaceLayout = 'mafw' | 'dfew' | 'ferv39k' | 'folder';
export const FACE_LAYOUTS: readonly FaceLayout[] = ['mafw', 'dfew', 'ferv39k', 'folder'];

export const VIDEO_FILE = /\.(mp4|avi|mov|mkv|webm|m4v)$/i;

export interface ClipTarget {
  /** The clip's id as the loader names it. */
  id: string;
  /** Frame folder, relative to the output root. */
  dir: string;
  /** Frame file name for frame number `n` (from 1). */
  frameName(n: number): string;
}

const pad5 = (n: number) => String(n).padStart(5, '0');
const plain = (n: number) => `${pad5(n)}.jpg`;

/**
 * The frame folder for the video at `rel` (relative to the dataset root), or undefined when the layout
 * does not read that video (a MAFW video outside `clips/`, a DFEW one outside `original/` or
 * `clip_224x224_avi/`, a file whose stem is not a clip id).
 */
export function targetOf(layout: FaceLayout, rel: string): ClipTarget | undefined {
  const parts = rel.split(/[\\/]/);
  const stem = basename(rel, extname(rel));
  if (layout === 'mafw') {
    // data/clips/00025.mp4 -> data/frames/00025/00001.jpg ...
    const at = parts.lastIndexOf('clips');
    if (at < 0 || !/^\d+$/.test(stem)) return undefined;
    const id = pad5(Number(stem));
    return { id, dir: join(...parts.slice(0, at), 'frames', id), frameName: plain };
  }
  if (layout === 'dfew') {
    // Clip/original/2522.mp4 (or clip_224x224_avi/02522.avi) -> Clip/clip_224x224/02522/02522_00001.jpg ...
    const at = Math.max(parts.lastIndexOf('original'), parts.lastIndexOf('clip_224x224_avi'));
    if (at < 0 || !/^\d+$/.test(stem)) return undefined;
    const id = pad5(Number(stem));
    return { id, dir: join(...parts.slice(0, at), 'clip_224x224', id), frameName: (n) => `${id}_${pad5(n)}.jpg` };
  }
  // FERV39K (2_ClipsforFaceCrop/<Scene>/<Emotion>/0010.mp4) and class-per-folder (<Class>/<clip>.mp4): the
  // frame folder takes the video's place.
  const dir = join(dirname(rel), stem);
  return { id: dir.split(sep).join('/'), dir, frameName: plain };
}

/** Relative path of `file` under `root`, with `/` separators. */
export function relativeTo(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
