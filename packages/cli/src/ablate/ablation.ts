// `adatosk ablate` as a library: every (variant, seed) of a suite's profile trained on the same data with the same
// budget, results appended to `runs.jsonl` as they finish (an interrupted ablation continues where it stopped),
// then the table (Markdown and JSON) and the plot. `doc` rewrites the marked table section of a Markdown file.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createAdaTosk, train, type TrainEvent } from '@adatosk/core';
import { registerBuiltinMasks } from '@adatosk/masks';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { specToPng } from '../render/plots.js';
import { writeFileAtomic } from '../run/atomic.js';
import { useBackend } from '../runtime/backend.js';
import { trainDataOf } from '../runtime/data.js';
import { loadPlugins } from '../runtime/plugins.js';
import { trainOptions } from '../commands/train.js';
import { encoderDecoderWeights, PRETRAIN_RHO_H } from '../pretrain/run.js';
import type { RunConfig } from '../config/schema.js';
import { ablationSpec } from './plot.js';
import { ablationModelConfig, openAblationSplit, runOne, type RunRecord } from './run.js';
import { loadSuite, profileOf, variantConfig, type PretrainSpec, type Suite, type Variant } from './suite.js';
import { buildTable, tableMarkdown, type AblationTable } from './table.js';

export interface AblateOptions {
  /** Suite file (YAML/JSON). */
  suite: string;
  /** Profile name (`quick`, `full`, ...). */
  profile: string;
  /** More variant files to add as rows (e.g. a user's own mask plugin). */
  variants?: string[];
  /** Run only these variant names (the table still shows every finished row). */
  only?: string[];
  /** Output folder: runs.jsonl, ablation.json, ablation.md, ablation.png, pretrained/ (weights cache). */
  out: string;
  /** A Markdown file whose `<!-- ablation:begin -->` ... `<!-- ablation:end -->` section gets the table. */
  doc?: string;
  /** Backend (default: the suite base's `backend`). */
  backend?: string;
  json?: boolean;
  signal?: AbortSignal;
  io?: Io;
}

export interface AblateResult {
  table: AblationTable;
  files: { json: string; markdown: string; plot: string; runs: string };
  ran: number;
  reused: number;
}

export const DOC_BEGIN = '<!-- ablation:begin -->';
export const DOC_END = '<!-- ablation:end -->';

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

async function readRecords(file: string): Promise<RunRecord[]> {
  if (!existsSync(file)) return [];
  const out: RunRecord[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RunRecord);
    } catch {
      // A line cut by an interruption: the run is simply done again.
    }
  }
  return out;
}

/** VideoMAE pre-training on the training split (labels unused) with the run's budget keys, as model weights. */
export async function pretrainForAblation(cfg: RunConfig, spec: PretrainSpec, onEvent?: (e: TrainEvent) => void, signal?: AbortSignal): Promise<Uint8Array> {
  registerBuiltinMasks();
  const probe = await openAblationSplit(cfg, 'train', ablationModelConfig(cfg, ['x']));
  const config = ablationModelConfig(cfg, probe.classes);
  const model = createAdaTosk(config, { initSeed: cfg.train.seed, seed: cfg.train.seed, objective: 'pretrain', rhoH: spec.rhoH ?? PRETRAIN_RHO_H });
  try {
    const options = { ...trainOptions(cfg), epochs: spec.epochs, lr: spec.lr ?? cfg.train.lr, evalEvery: 0 };
    const r = await train(model, trainDataOf(probe, cfg.data.concurrency), options, { onEvent, signal });
    if (r.aborted) throw new CliError('interrupted', 130);
    return encoderDecoderWeights(model);
  } finally {
    model.dispose();
  }
}

/** Replaces the marked section of a Markdown file with `body` (the markers must be there). */
export async function writeDocSection(file: string, body: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CliError(`--doc '${file}' cannot be read; create it with the lines ${DOC_BEGIN} and ${DOC_END} where the table goes`, 2);
  });
  const a = text.indexOf(DOC_BEGIN);
  const b = text.indexOf(DOC_END);
  if (a < 0 || b < a) throw new CliError(`--doc '${file}' has no ${DOC_BEGIN} ... ${DOC_END} section to replace`, 2);
  await writeFileAtomic(file, `${text.slice(0, a + DOC_BEGIN.length)}\n${body}${text.slice(b)}`);
}

function runLabel(v: Variant, seed: number, i: number, n: number): string {
  return `[${i}/${n}] ${v.name} seed ${seed}`;
}

export async function runAblation(opts: AblateOptions): Promise<AblateResult> {
  const io = opts.io ?? processIo;
  const suite: Suite = await loadSuite(opts.suite, opts.variants ?? []);
  const profile = profileOf(suite, opts.profile);
  for (const name of opts.only ?? []) {
    if (!suite.variants.some((v) => v.name === name)) throw new CliError(`--only '${name}' is not a variant of ${opts.suite} (variants: ${suite.variants.map((v) => v.name).join(', ')})`, 2);
  }
  const out = resolve(opts.out);
  await mkdir(out, { recursive: true });
  const runsFile = join(out, 'runs.jsonl');
  const done = await readRecords(runsFile);
  const selected = suite.variants.filter((v) => !opts.only?.length || opts.only.includes(v.name));
  const jobs = selected.flatMap((v) => profile.seeds.map((seed) => ({ v, seed, cfg: variantConfig(suite, profile, v, seed) })));
  const backend = await useBackend(opts.backend ?? jobs[0]?.cfg.backend ?? 'auto');
  const records: RunRecord[] = [];
  let ran = 0;
  let reused = 0;
  for (const [i, job] of jobs.entries()) {
    const { v, seed, cfg } = job;
    const key = hashOf({ cfg: { ...cfg, backend: undefined }, pretrain: v.pretrain ?? null });
    const previous = done.find((r) => r.variant === v.name && r.seed === seed && r.key === key);
    const label = runLabel(v, seed, i + 1, jobs.length);
    if (previous) {
      records.push(previous);
      reused++;
      if (!opts.json) io.err(`${label}: done before (${relative(process.cwd(), runsFile)}), WAR ${(previous.war * 100).toFixed(1)}%`);
      continue;
    }
    if (opts.signal?.aborted) throw new CliError('interrupted', 130);
    await loadPlugins(cfg.plugins);
    const onEvent = (e: TrainEvent) => {
      if (!opts.json && e.type === 'epoch') io.err(`  ${label}: epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} (${(e.durationMs / 1000).toFixed(1)}s)`);
    };
    let init: { bytes: Uint8Array; seconds: number } | undefined;
    if (v.pretrain) {
      // Shared by every row that asks for the same pre-training (same data, backbone, budget and seed).
      const file = join(out, 'pretrained', `${hashOf({ data: cfg.data, model: cfg.model.preset, overrides: cfg.model.overrides, train: cfg.train, spec: v.pretrain })}.safetensors`);
      const timing = `${file}.json`;
      if (existsSync(file) && existsSync(timing)) {
        const buf = await readFile(file);
        init = { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), seconds: (JSON.parse(await readFile(timing, 'utf8')) as { seconds: number }).seconds };
      } else {
        if (!opts.json) io.err(`${label}: VideoMAE pre-training, ${v.pretrain.epochs} epochs`);
        const t0 = performance.now();
        const bytes = await pretrainForAblation(cfg, v.pretrain, (e) => {
          if (!opts.json && e.type === 'epoch') io.err(`  ${label}: pre-training epoch ${e.epoch}/${e.epochs} rec ${e.rec.toFixed(4)} (${(e.durationMs / 1000).toFixed(1)}s)`);
        }, opts.signal);
        init = { bytes, seconds: (performance.now() - t0) / 1000 };
        await mkdir(join(out, 'pretrained'), { recursive: true });
        await writeFileAtomic(file, bytes);
        await writeFileAtomic(timing, JSON.stringify({ seconds: init.seconds }) + '\n');
      }
    }
    if (!opts.json) io.err(`${label}: training ${cfg.train.epochs} epochs on ${backend}`);
    const record = await runOne({ cfg, variant: v.name, key, backend, init, signal: opts.signal, onEvent });
    await appendFile(runsFile, JSON.stringify(record) + '\n');
    records.push(record);
    ran++;
    if (opts.json) io.out(JSON.stringify({ type: 'run', ...record }));
    else {
      io.err(`${label}: WAR ${(record.war * 100).toFixed(2)}%  UAR ${(record.uar * 100).toFixed(2)}%  ${record.gflops.toPrecision(3)} GFLOPs ` +
        `(${(record.gflops / record.fullGflops).toFixed(2)}x full)  ${record.clipsPerSec.toFixed(0)} clips/s  ${record.trainSeconds.toFixed(0)}s`);
    }
  }
  // Rows of variants not run this time (--only) still come from earlier records of the same configuration.
  for (const v of suite.variants) {
    if (selected.includes(v)) continue;
    for (const seed of profile.seeds) {
      const key = hashOf({ cfg: { ...variantConfig(suite, profile, v, seed), backend: undefined }, pretrain: v.pretrain ?? null });
      const r = done.find((x) => x.variant === v.name && x.seed === seed && x.key === key);
      if (r) records.push(r);
    }
  }
  const table = buildTable(suite, opts.profile, records, {
    backend,
    date: new Date().toISOString().slice(0, 10),
    note: 'clips/s are wall-clock measurements on the machine that ran the ablation; GFLOPs are counted',
  });
  const md = tableMarkdown(table);
  const files = { json: join(out, 'ablation.json'), markdown: join(out, 'ablation.md'), plot: join(out, 'ablation.png'), runs: runsFile };
  await writeFileAtomic(files.json, JSON.stringify(table, null, 2) + '\n');
  await writeFileAtomic(files.markdown, md);
  await writeFileAtomic(files.plot, await specToPng(ablationSpec(table)));
  if (opts.doc) await writeDocSection(opts.doc, md);
  if (opts.json) io.out(JSON.stringify({ type: 'ablation', ...table, files }));
  else {
    io.out(md);
    io.out(`table: ${relative(process.cwd(), files.markdown)}, ${relative(process.cwd(), files.json)}; plot: ${relative(process.cwd(), files.plot)}` +
      (opts.doc ? `; updated ${opts.doc}` : ''));
  }
  return { table, files, ran, reused };
}
