// Path safety and directory discovery. Real copies come with extra nesting from unzipping, so folders are
// searched breadth-first (bounded) instead of assumed at a fixed depth.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { DatasetError } from '@adatosk/core';

/** Resolves `rel` under `root`; throws (file, line) if it is absolute outside root or escapes with `..`. */
export function safeJoin(root: string, rel: string, file?: string, line?: number): string {
  const cleaned = rel.replace(/\\/g, '/');
  const target = isAbsolute(cleaned) ? normalize(cleaned) : resolve(root, cleaned);
  const r = relative(resolve(root), target);
  if (r === '' ? false : r.startsWith('..') || isAbsolute(r) || r.split(sep).includes('..')) {
    throw new DatasetError(`path '${rel}' escapes the dataset root ${root}; split files must name clips inside it`, file, line);
  }
  return target;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

export interface SearchOptions {
  maxDepth?: number;
  maxVisits?: number;
  skip?: (name: string) => boolean;
}

/**
 * Breadth-first search from `start` (inclusive) for the first directory satisfying `accept`, at most
 * `maxDepth` levels down and `maxVisits` directories, never descending into directories `skip` names.
 */
export async function findDirectory(
  start: string,
  accept: (dir: string, children: string[]) => boolean,
  { maxDepth = 4, maxVisits = 5000, skip = looksLikeClip }: SearchOptions = {},
): Promise<string | undefined> {
  let level = [start];
  let visits = 0;
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visits > maxVisits) return undefined;
      const children = await subdirectories(dir);
      if (accept(dir, children)) return dir;
      for (const c of children) if (!skip(c)) next.push(join(dir, c));
    }
    level = next;
  }
  return undefined;
}

/** Directory that has a child directory named one of `names` (case-insensitive), searched from `start`. */
export async function findChildNamed(start: string, names: string[], options?: SearchOptions): Promise<string | undefined> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const parent = await findDirectory(start, (_d, children) => children.some((c) => wanted.has(c.toLowerCase())), options);
  if (!parent) return undefined;
  const children = await subdirectories(parent);
  // Prefer the order of `names`.
  for (const n of names) {
    const hit = children.find((c) => c.toLowerCase() === n.toLowerCase());
    if (hit) return join(parent, hit);
  }
  return undefined;
}

/** Directory (from `start`, inclusive) whose child directories include at least one matching `pattern`. */
export async function findClipContainer(start: string, pattern: RegExp, options?: SearchOptions): Promise<string | undefined> {
  return findDirectory(start, (_d, children) => children.some((c) => pattern.test(c)), {
    ...options,
    skip: (name) => pattern.test(name),
  });
}

/** Directories whose names look like clip folders (digits only); searches do not descend into them. */
export const looksLikeClip = (name: string): boolean => /^\d+$/.test(name);

/** First file named one of `names` (case-insensitive), breadth-first from `start`. */
export async function findFile(start: string, names: string[], options: SearchOptions = {}): Promise<string | undefined> {
  const wanted = names.map((n) => n.toLowerCase());
  let level = [start];
  let visits = 0;
  for (let depth = 0; depth <= (options.maxDepth ?? 4) && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visits > (options.maxVisits ?? 5000)) return undefined;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const n of wanted) {
        const hit = entries.find((e) => e.isFile() && e.name.toLowerCase() === n);
        if (hit) return join(dir, hit.name);
      }
      for (const e of entries) if (e.isDirectory() && !(options.skip ?? looksLikeClip)(e.name)) next.push(join(dir, e.name));
    }
    level = next.sort();
  }
  return undefined;
}
