// Index of video files under a folder (recursive, bounded), keyed by a normalised clip id, so unpadded
// stems (`2522.mp4`) and extra part folders from unzipping still resolve.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const VIDEO_RE = /\.(mp4|avi|mov|mkv|webm)$/i;

/** Maps `key(stem)` -> path for every video under `dir` (depth <= maxDepth). First hit wins. */
export async function indexVideos(dir: string, key: (stem: string) => string | undefined, maxDepth = 3): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  let level = [dir];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const d of level) {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory()) next.push(join(d, e.name));
        else if (VIDEO_RE.test(e.name)) {
          const k = key(e.name.replace(VIDEO_RE, ''));
          if (k !== undefined && !index.has(k)) index.set(k, join(d, e.name));
        }
      }
    }
    level = next.sort();
  }
  return index;
}

/** Key for numeric clip ids: the integer, padded to `width` digits (`2522` and `02522` -> `02522`). */
export const numericKey =
  (width: number) =>
  (stem: string): string | undefined =>
    /^\d+$/.test(stem) ? String(Number(stem)).padStart(width, '0') : undefined;
