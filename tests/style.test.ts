// The tree stays formatted and lint-clean (Biome, configured in biome.json): `npm run format` fixes the
// formatting, `npm run lint` lists what the linter finds. Warnings are allowed; errors fail here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const biome = join(dirname(createRequire(join(root, 'package.json')).resolve('@biomejs/biome/package.json')), 'bin', 'biome');

it('biome check (format and lint) reports no error', () => {
  const r = spawnSync(process.execPath, [biome, 'check', '--diagnostic-level=error', '--max-diagnostics=20', '--colors=off', '.'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.status, `${r.stdout}${r.stderr}\nrun 'npm run format' to format, 'npm run lint' to see the lint errors`).toBe(0);
}, 120_000);
