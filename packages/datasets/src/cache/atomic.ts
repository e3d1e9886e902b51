// Crash-safe file writes: a temporary name in the same folder, fsync, rename, fsync the folder. A file
// that exists under its final name is therefore complete.
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** fsyncs a folder so a rename inside it survives a crash (a no-op where folders cannot be opened). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot fsync folders; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

export const tempName = (path: string) => `${path}.tmp-${process.pid}`;

/** Writes `data` to `path` atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (error) {
    await fh.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await fh.close();
  await rename(tmp, path);
  await syncDir(dirname(path));
}
