// Runs a TypeScript script from source in plain Node: bundles it with esbuild (workspace packages
// from source, tfjs/webgpu kept external) into node_modules/.cache and imports it.
// Usage: node packages/backend-node/scripts/run-ts.mjs <file.ts> [args...]
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = resolve(process.argv[2]);
const outDir = join(here, '..', '..', '..', 'node_modules', '.cache', 'adatosk-run');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, basename(entry).replace(/\.ts$/, '.mjs'));
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  conditions: ['@adatosk/source'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [
    {
      // ADATOSK_REPLACE=<source>=<replacement>[,...]: run with modules' text swapped (trying a fix elsewhere).
      name: 'replace',
      setup(b) {
        const pairs = new Map(
          (process.env.ADATOSK_REPLACE ?? '')
            .split(',')
            .filter(Boolean)
            .map((p) => p.split('=')),
        );
        if (pairs.size === 0) return;
        b.onLoad({ filter: /\.ts$/ }, (a) =>
          pairs.has(a.path) ? { contents: readFileSync(pairs.get(a.path), 'utf8'), loader: 'ts', resolveDir: dirname(a.path) } : undefined,
        );
      },
    },
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /^(@tensorflow\/tfjs-(core|backend-[a-z]+|node|node-gpu)|webgpu|zod|playwright-core|vite)$/ }, (a) => ({
          path: a.path,
          external: true,
        }));
      },
    },
  ],
});
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
