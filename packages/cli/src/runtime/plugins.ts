// Loads user mask plugins: each module registers its masks with `registerMask` when imported.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../errors.js';

export async function loadPlugins(specs: string[], cwd = process.cwd()): Promise<string[]> {
  const loaded: string[] = [];
  for (const spec of specs) {
    const isPath = spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec);
    const target = isPath ? pathToFileURL(resolve(cwd, spec)).href : spec;
    if (isPath && !existsSync(resolve(cwd, spec))) {
      throw new CliError(
        `plugin '${spec}' not found (resolved to ${resolve(cwd, spec)}); give a path to a .js/.mjs module or an installed package name`,
        2,
      );
    }
    try {
      await import(target);
    } catch (e) {
      throw new CliError(
        `plugin '${spec}' failed to load: ${(e as Error).message}. A plugin is an ES module that calls registerMask(...) from @adatosk/core`,
        2,
      );
    }
    loaded.push(spec);
  }
  return loaded;
}
