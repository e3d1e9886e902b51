// npm `prepack`/`postpack` hook of every built package (run by `npm pack` and `npm publish`, so by
// `changeset publish` too): the published package.json must not carry the repository's private
// '@adatosk/source' condition (it points at src/, which is not shipped) nor src/ paths in `sideEffects`.
//   node ../../scripts/pack.mjs prepack    keep package.json as package.json.pack-backup, write the published one
//   node ../../scripts/pack.mjs postpack   put the backup back
// npm reads `publishConfig` only for registry settings (unlike pnpm), hence a rewrite rather than an override.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SOURCE_CONDITION = '@adatosk/source';
const BACKUP = 'package.json.pack-backup';

/** The package.json a user installs: `pkg` without the source condition and without src/ side-effect paths. */
export function publishedManifest(pkg) {
  const strip = (value) => {
    if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== SOURCE_CONDITION)
        .map(([key, v]) => [key, strip(v)]),
    );
  };
  const out = { ...pkg };
  if (pkg.exports) out.exports = strip(pkg.exports);
  if (Array.isArray(pkg.sideEffects)) out.sideEffects = pkg.sideEffects.filter((p) => !p.startsWith('./src/'));
  return out;
}

function prepack(dir) {
  const file = join(dir, 'package.json');
  const backup = join(dir, BACKUP);
  // A pack that died between the two hooks left its backup: that one is the real manifest.
  if (existsSync(backup)) renameSync(backup, file);
  const text = readFileSync(file, 'utf8');
  writeFileSync(backup, text);
  writeFileSync(file, `${JSON.stringify(publishedManifest(JSON.parse(text)), null, 2)}\n`);
}

function postpack(dir) {
  const backup = join(dir, BACKUP);
  if (existsSync(backup)) renameSync(backup, join(dir, 'package.json'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [step] = process.argv.slice(2);
  if (step === 'prepack') prepack(process.cwd());
  else if (step === 'postpack') postpack(process.cwd());
  else {
    console.error(`usage: node scripts/pack.mjs prepack|postpack (got '${step ?? ''}')`);
    process.exit(2);
  }
}
