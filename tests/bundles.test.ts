// Loads every built package the three ways users do: ESM import, CJS require, dynamic import().
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publint } from 'publint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['core', 'masks', 'datasets', 'webgpu', 'faces', 'backend-node', 'backend-web', 'cli'];

// `require` is absent only on entries that are ESM-only by nature (the vitest suite: vitest cannot be required).
interface ExportEntry {
  import: { types: string; default: string };
  require?: { types: string; default: string };
}

function entries(pkg: string): Array<[string, ExportEntry]> {
  const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  return Object.entries(json.exports as Record<string, ExportEntry | string>).filter(
    (e): e is [string, ExportEntry] => typeof e[1] === 'object',
  );
}

describe.each(packages)('@adatosk/%s build', (pkg) => {
  const dir = join(root, 'packages', pkg);

  it('has every exported file on disk, types first', () => {
    for (const [sub, entry] of entries(pkg)) {
      const keys = Object.keys(entry);
      expect(keys.indexOf('import'), `${sub}: import condition`).toBeGreaterThan(-1);
      expect(Object.keys(entry.import)[0], `${sub}: types first`).toBe('types');
      const files = [entry.import.types, entry.import.default, ...(entry.require ? [entry.require.types, entry.require.default] : [])];
      for (const file of files) {
        expect(existsSync(join(dir, file)), `${pkg}${sub.slice(1)} -> ${file} (run npm run build)`).toBe(true);
      }
    }
  });

  it('loads through ESM import and dynamic import() without picking a backend', async () => {
    for (const [, entry] of entries(pkg)) {
      if (entry.import.default.includes('register')) continue; // registration entries have side effects by design
      const mod = await import(pathToFileURL(join(dir, entry.import.default)).href);
      expect(Object.keys(mod).length).toBeGreaterThan(0);
    }
  });

  it('loads through CJS require in a fresh Node process', () => {
    for (const [, entry] of entries(pkg)) {
      if (!entry.require || entry.require.default.includes('register')) continue;
      const file = join(dir, entry.require.default);
      const out = execFileSync(process.execPath, ['-e', `const m=require(${JSON.stringify(file)});console.log(Object.keys(m).length)`], {
        encoding: 'utf8',
      });
      expect(Number(out.trim())).toBeGreaterThan(0);
    }
    // createRequire from the package dir resolves the package's own name through its exports map.
    const req = createRequire(join(dir, 'package.json'));
    expect(req.resolve(`@adatosk/${pkg}`)).toContain(join('packages', pkg, 'dist'));
  });

  it('passes publint', async () => {
    const { messages } = await publint({ pkgDir: dir, level: 'warning', strict: false });
    expect(messages.filter((m) => m.type !== 'suggestion').map((m) => `${m.code} ${JSON.stringify(m.args)}`)).toEqual([]);
  });
});
