// Reading the manifest of a frame cache, and comparing what two caches were made with.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '@adatosk/core';
import { CACHE_FORMAT, CACHE_VERSION, MANIFEST_FILE, type CacheIdentity, type CacheManifest } from './format.js';

/** `v` with object keys sorted (recursively), so option order never makes two identities differ. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
  );
}

/** Reads the manifest in `dir`, or undefined when there is none. */
export async function readManifest(dir: string): Promise<CacheManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let m: CacheManifest;
  try {
    m = JSON.parse(text) as CacheManifest;
  } catch (error) {
    throw new DatasetError(
      `the cache manifest is not valid JSON (${(error as Error).message}); delete the folder or run prepare with --force`,
      join(dir, MANIFEST_FILE),
    );
  }
  if (m.format !== CACHE_FORMAT)
    throw new DatasetError(`not an adatosk frame cache (format '${String(m.format)}')`, join(dir, MANIFEST_FILE));
  if (m.version !== CACHE_VERSION)
    throw new DatasetError(
      `cache format version ${m.version} is not supported (this version reads ${CACHE_VERSION}); prepare it again with --force`,
      join(dir, MANIFEST_FILE),
    );
  return m;
}

/** Lines naming how two identities differ. */
export function identityDifferences(was: CacheIdentity, now: CacheIdentity): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(was), ...Object.keys(now)]) as Set<keyof CacheIdentity>;
  for (const k of keys) {
    const a = JSON.stringify(was[k]),
      b = JSON.stringify(now[k]);
    if (a !== b) out.push(`${k}: ${a ?? '(none)'} when cached, ${b ?? '(none)'} now`);
  }
  return out;
}
