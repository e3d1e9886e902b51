import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder and its cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `adatosk-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Drains a loader pass, returning the ids seen. */
export async function drain(it: AsyncIterable<{ ids: string[] }>): Promise<string[]> {
  const ids: string[] = [];
  for await (const b of it) ids.push(...b.ids);
  return ids;
}
