// Frame files of one clip directory: images only (jpg/jpeg/png/bmp), ordered by the last integer in the
// file stem (`1.jpg, 2.jpg, 10.jpg`, `00001_00010.jpg`), never lexicographically.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClipLoadError } from '@adatosk/core';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp'];
const IMAGE_RE = /\.(jpe?g|png|bmp)$/i;

/** Last run of digits in the file stem, or undefined. */
export function frameNumber(name: string): number | undefined {
  const stem = name.replace(/\.[^.]*$/, '');
  const m = stem.match(/(\d+)(?!.*\d)/);
  return m ? Number(m[1]) : undefined;
}

/** Sorts frame file names by their last integer; names without one go last, by name. */
export function sortFrameNames(names: string[]): string[] {
  return names
    .map((name) => ({ name, n: frameNumber(name) }))
    .sort((a, b) => {
      if (a.n !== undefined && b.n !== undefined && a.n !== b.n) return a.n - b.n;
      if (a.n === undefined && b.n !== undefined) return 1;
      if (b.n === undefined && a.n !== undefined) return -1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    })
    .map((x) => x.name);
}

/** Sorted frame paths of a clip directory. Missing directory or no images: ClipLoadError. */
export async function listFrames(dir: string, clipId: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new ClipLoadError(
      clipId,
      'missing',
      `clip folder ${dir} is missing or unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
  const images = sortFrameNames(names.filter((n) => IMAGE_RE.test(n)));
  if (images.length === 0) throw new ClipLoadError(clipId, 'empty', `clip folder ${dir} has no jpg/jpeg/png/bmp frames`);
  return images.map((n) => join(dir, n));
}
