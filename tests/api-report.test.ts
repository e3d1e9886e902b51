// The public surface of every entry point matches the committed API reports under api/, so it changes only
// on purpose. After a deliberate change: `npm run api:update` and commit api/.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations.
import { buildReports, entryPoints, staleReports } from '../scripts/api-report.mjs';

describe('API reports', () => {
  const reports = buildReports() as Map<string, string>;

  it('cover every entry point of every published package', () => {
    const entries = entryPoints() as Array<{ pkg: string; subpath: string; report: string }>;
    expect(entries.map((e) => `${e.pkg}${e.subpath.slice(1)}`)).toEqual(
      expect.arrayContaining(['@adatosk/core', '@adatosk/core/internal', '@adatosk/cli']),
    );
    expect([...reports.keys()].sort()).toEqual(entries.map((e) => e.report).sort());
  });

  it('match api/ (run `npm run api:update` after a deliberate change)', () => {
    expect(staleReports(reports), 'the public API changed: if on purpose, run `npm run api:update` and commit api/').toEqual([]);
  });

  it('keep internals out of the public entry of core', () => {
    const core = reports.get('core.api.md')!;
    for (const name of [
      'mulberry32',
      'hashSeed',
      'matMulPlain',
      'recompute',
      'resetMaskRegistry',
      'fmix32',
      'installFastMatMul',
      'didYouMean',
    ]) {
      expect(core).not.toMatch(new RegExp(`\\s${name}\\n`));
    }
    expect(core).toMatch(/\sfunction\s+train\n/);
  });
});
