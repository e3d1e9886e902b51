// `adatosk datasets check <name> <root>`: counts per split and fold, missing and unreadable clips;
// `adatosk datasets prepare` (datasets/prepare.ts): a frame cache, or face frames from raw videos.
import { defineCommand } from 'citty';
import { existsSync } from 'node:fs';
import { didYouMean } from '@adatosk/core/internal';
import {
  CHECKABLE_DATASETS,
  checkDataset,
  foldList,
  listDatasets,
  type CheckableDataset,
  type DatasetCheckReport,
  type DatasetInfo,
} from '@adatosk/datasets';
import { outputArgs } from '../args.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';

export interface DatasetsCheckOptions {
  name: string;
  root: string;
  /** How hard to look at each clip: exists (default), decode (read every frame), none (split files only). */
  verify?: 'exists' | 'decode' | 'none';
  json?: boolean;
  io?: Io;
}

export async function runDatasetsCheck(opts: DatasetsCheckOptions): Promise<DatasetCheckReport> {
  const io = opts.io ?? processIo;
  if (!(CHECKABLE_DATASETS as readonly string[]).includes(opts.name)) {
    const guess = didYouMean(opts.name, [...CHECKABLE_DATASETS]);
    throw new CliError(
      `datasets check: '${opts.name}' is not a dataset with published counts${guess ? `; did you mean '${guess}'?` : ''} Checkable: ${CHECKABLE_DATASETS.join(', ')}.`,
      2,
    );
  }
  if (!existsSync(opts.root))
    throw new CliError(`datasets check: root '${opts.root}' does not exist; pass the folder that holds the dataset`, 2);
  let r: DatasetCheckReport;
  try {
    r = await checkDataset(opts.name as CheckableDataset, opts.root, { verify: opts.verify ?? 'exists' });
  } catch (e) {
    throw new CliError(`datasets check ${opts.name} ${opts.root}: ${(e as Error).message}`, 2);
  }
  if (opts.json) io.out(JSON.stringify(r));
  else {
    io.out(
      `${opts.name} at ${opts.root}: ${r.ok ? 'OK' : 'PROBLEMS FOUND'} (${r.clips.unique} clips, ${r.clips.verified} verified: ${r.verify})`,
    );
    io.out(
      `  ${'fold'.padEnd(5)} ${'split'.padEnd(6)} ${'clips'.padStart(7)} ${'expected'.padStart(9)} ${'missing'.padStart(8)} ${'unreadable'.padStart(11)}`,
    );
    for (const s of r.splits) {
      const bad = s.error !== undefined || s.countOk === false || s.missing.length > 0 || s.unreadable.length > 0;
      io.out(
        `  ${String(s.fold ?? '-').padEnd(5)} ${s.split.padEnd(6)} ${String(s.count).padStart(7)} ${String(s.expected ?? '-').padStart(9)} ${String(s.missing.length).padStart(8)} ${String(s.unreadable.length).padStart(11)}${bad ? '  <-' : ''}`,
      );
      if (s.error) io.out(`      ${s.error}`);
    }
    for (const m of r.clips.missing.slice(0, 10)) io.out(`  missing: ${m.id}: ${m.message}`);
    if (r.clips.missing.length > 10) io.out(`  ... and ${r.clips.missing.length - 10} more missing`);
    for (const u of r.clips.unreadable.slice(0, 10)) io.out(`  unreadable: ${u.id}: ${u.message}`);
    if (r.clips.unreadable.length > 10) io.out(`  ... and ${r.clips.unreadable.length - 10} more unreadable`);
    for (const d of r.differences) io.out(`  ${d}`);
  }
  if (!r.ok) process.exitCode = 1;
  return r;
}

const check = defineCommand({
  meta: { name: 'check', description: 'Check a dataset copy: clips per split and fold, missing and unreadable clips' },
  args: {
    name: { type: 'positional', required: true, description: CHECKABLE_DATASETS.join(' | '), valueHint: 'name' },
    root: { type: 'positional', required: true, description: 'Dataset root folder', valueHint: 'dir' },
    verify: {
      type: 'enum',
      options: ['exists', 'decode', 'none'],
      default: 'exists',
      description: 'exists: clip folders/files exist; decode: read every clip; none: split files only',
    },
    ...outputArgs,
  },
  async run({ args }) {
    await runDatasetsCheck({ name: args.name, root: args.root, verify: args.verify as DatasetsCheckOptions['verify'], json: args.json });
  },
});

/** `adatosk datasets list`: every registered dataset with its facts (what --root and --fold it takes). */
export function runDatasetsList(opts: { json?: boolean; io?: Io } = {}): DatasetInfo[] {
  const io = opts.io ?? processIo;
  const all = listDatasets();
  if (opts.json) io.out(JSON.stringify(all));
  else {
    for (const d of all) {
      const takes = [d.needsRoot ? '--root <dir>' : 'no --root', d.folds ? `--fold ${foldList(d.folds)}|all` : 'no --fold'].join(', ');
      io.out(`${d.name.padEnd(10)} ${takes.padEnd(32)} ${d.description}`);
    }
  }
  return all;
}

const list = defineCommand({
  meta: { name: 'list', description: 'List the registered datasets: the folder and folds each takes' },
  args: { ...outputArgs },
  run({ args }) {
    runDatasetsList({ json: args.json });
  },
});

export default defineCommand({
  meta: {
    name: 'datasets',
    description: 'Dataset tools: list the registered datasets, check a dataset copy, prepare a frame cache or face frames',
  },
  subCommands: { list, check, prepare: () => import('./datasets/prepare.js').then((m) => m.default) },
});
