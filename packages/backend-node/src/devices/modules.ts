// Optional modules are loaded at run time only, so a missing one is a reported status, never a crash.

/** Default loader: a plain dynamic import (kept opaque so bundlers do not try to inline optional peers). */
export const defaultImport = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ specifier);

/** True when `err` says that `specifier` itself (not one of its own dependencies) could not be found. */
export function isModuleNotFound(err: unknown, specifier: string): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const message = String(e?.message ?? '');
  const code = e?.code ?? '';
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Failed to (load|resolve) (url|import)/i.test(message);
  return notFound && message.includes(specifier);
}

export type ImportResult = { ok: true; module: unknown } | { ok: false; missing: boolean; reason: string };

export async function tryImport(load: (s: string) => Promise<unknown>, specifier: string): Promise<ImportResult> {
  try {
    return { ok: true, module: await load(specifier) };
  } catch (err) {
    const missing = isModuleNotFound(err, specifier);
    const first = String((err as Error)?.message ?? err).split('\n')[0];
    return { ok: false, missing, reason: missing ? `'${specifier}' is not installed` : `'${specifier}' failed to load: ${first}` };
  }
}
