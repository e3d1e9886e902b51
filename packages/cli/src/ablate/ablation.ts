// `adatosk ablate` as a library: every (variant, seed) of a suite's profile trained on the same data with the same
// budget, results appended to `runs.jsonl` as they finish (an interrupted ablation continues where it stopped),
// then the table (Markdown and JSON) and the plot. `doc` rewrites the marked table section of a Markdown file.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { countAdaToskFlops, createAdaTosk, resolveConfig, tokenGrid, train, type TrainEvent, type VideoMAEConfig } from '@adatosk/core';
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
export async function pretrainForAblation(
  cfg: RunConfig,
  spec: PretrainSpec,
  onEvent?: (e: TrainEvent) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  registerBuiltinMasks();
  const probe = await openAblationSplit(cfg, 'train', ablationModelConfig(cfg, ['x']));
  const config = ablationModelConfig(cfg, probe.classes);
  const model = createAdaTosk(config, {
    initSeed: cfg.train.seed,
    seed: cfg.train.seed,
    objective: 'pretrain',
    rhoH: spec.rhoH ?? PRETRAIN_RHO_H,
  });
  try {
    const options = { ...trainOptions(cfg), epochs: spec.epochs, lr: spec.lr ?? cfg.train.lr, evalEvery: 0 };
    const r = await train(model, trainDataOf(probe, cfg.data.concurrency), options, { onEvent, signal });
    if (r.aborted) throw new CliError('interrupted', 130);
    return await encoderDecoderWeights(model);
  } finally {
    model.dispose();
  }
}

/**
 * Claims one run for this process with a lock file (`<out>/locks/<name>.lock`, created exclusively, holding the
 * pid), so several `adatosk ablate` processes on one output folder share the runs. A lock whose process is gone
 * is taken over. Returns the release function, or undefined when a live process holds the run.
 */
export async function claimRun(out: string, name: string): Promise<(() => Promise<void>) | undefined> {
  const dir = join(out, 'locks');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(file, 'utf8').catch(() => ''));
      if (pid > 0 && pid !== process.pid && isAlive(pid)) return undefined;
      await rm(file, { force: true });
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A rough relative training cost of a run (encoder FLOPs of a training step, doubled with the decoder pass). */
export function trainingCostHint(cfg: RunConfig, v: Variant): number {
  try {
    const config = resolveConfig(cfg.model.preset, cfg.model.overrides as Partial<VideoMAEConfig>);
    const a = cfg.model.adatosk as {
      hardMask?: { options?: { mode?: string } };
      rhoH?: number;
      rhoS?: number;
      selectAtLayer?: number;
      objective?: string;
      pooling?: string;
    };
    const tokens = tokenGrid(config).tokens;
    const hidden = a.hardMask?.options?.mode === 'none' ? 0 : (a.rhoH ?? 0.5);
    const visible = Math.max(1, tokens - Math.round(hidden * tokens));
    const selects = !((a.rhoS ?? 0.5) >= 1 && a.pooling === 'mean');
    const f = countAdaToskFlops(config, {
      visibleTokens: visible,
      rhoS: selects ? (a.rhoS ?? 0.5) : 1,
      selectAtLayer: a.selectAtLayer,
      softMask: selects,
    }).adatosk.flops;
    const pretrain = v.pretrain
      ? (v.pretrain.epochs / cfg.train.epochs) * countAdaToskFlops(config, { rhoHInfer: 0.9, rhoS: 1, softMask: false }).adatosk.flops
      : 0;
    return f * (a.objective === 'joint' ? 2 : 1) + pretrain;
  } catch {
    return 0;
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
    if (!suite.variants.some((v) => v.name === name))
      throw new CliError(
        `--only '${name}' is not a variant of ${opts.suite} (variants: ${suite.variants.map((v) => v.name).join(', ')})`,
        2,
      );
  }
  const out = resolve(opts.out);
  await mkdir(out, { recursive: true });
  const runsFile = join(out, 'runs.jsonl');
  const selected = suite.variants.filter((v) => !opts.only?.length || opts.only.includes(v.name));
  // The most expensive runs first, so processes sharing the folder finish at about the same time.
  const jobs = selected
    .flatMap((v) => profile.seeds.map((seed) => ({ v, seed, cfg: variantConfig(suite, profile, v, seed) })))
    .map((job) => ({ ...job, cost: trainingCostHint(job.cfg, job.v) }))
    .sort((a, b) => b.cost - a.cost);
  const backend = await useBackend(opts.backend ?? jobs[0]?.cfg.backend ?? 'auto');
  const records: RunRecord[] = [];
  let ran = 0;
  let reused = 0;
  let busy = 0;
  for (const [i, job] of jobs.entries()) {
    const { v, seed, cfg } = job;
    const key = hashOf({ cfg: { ...cfg, backend: undefined }, pretrain: v.pretrain ?? null });
    // Read again before each run: other `adatosk ablate` processes on the same folder may have finished it.
    const previous = (await readRecords(runsFile)).find((r) => r.variant === v.name && r.seed === seed && r.key === key);
    const label = runLabel(v, seed, i + 1, jobs.length);
    if (previous) {
      records.push(previous);
      reused++;
      if (!opts.json) io.err(`${label}: done before (${relative(process.cwd(), runsFile)}), WAR ${(previous.war * 100).toFixed(1)}%`);
      continue;
    }
    if (opts.signal?.aborted) throw new CliError('interrupted', 130);
    const lock = await claimRun(out, `${v.name}-${seed}-${key}`);
    if (!lock) {
      busy++;
      if (!opts.json) io.err(`${label}: another ablate process is running it; skipped here`);
      continue;
    }
    let record: RunRecord;
    try {
      await loadPlugins(cfg.plugins);
      const onEvent = (e: TrainEvent) => {
        if (!opts.json && e.type === 'epoch')
          io.err(`  ${label}: epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} (${(e.durationMs / 1000).toFixed(1)}s)`);
      };
      let init: { bytes: Uint8Array; seconds: number } | undefined;
      if (v.pretrain) {
        // Shared by every row that asks for the same pre-training (same data, backbone, budget and seed).
        const file = join(
          out,
          'pretrained',
          `${hashOf({ data: cfg.data, model: cfg.model.preset, overrides: cfg.model.overrides, train: cfg.train, spec: v.pretrain })}.safetensors`,
        );
        const timing = `${file}.json`;
        if (existsSync(file) && existsSync(timing)) {
          const buf = await readFile(file);
          init = {
            bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
            seconds: (JSON.parse(await readFile(timing, 'utf8')) as { seconds: number }).seconds,
          };
        } else {
          if (!opts.json) io.err(`${label}: VideoMAE pre-training, ${v.pretrain.epochs} epochs`);
          const t0 = performance.now();
          const bytes = await pretrainForAblation(
            cfg,
            v.pretrain,
            (e) => {
              if (!opts.json && e.type === 'epoch')
                io.err(
                  `  ${label}: pre-training epoch ${e.epoch}/${e.epochs} rec ${e.rec.toFixed(4)} (${(e.durationMs / 1000).toFixed(1)}s)`,
                );
            },
            opts.signal,
          );
          init = { bytes, seconds: (performance.now() - t0) / 1000 };
          await mkdir(join(out, 'pretrained'), { recursive: true });
          await writeFileAtomic(file, bytes);
          await writeFileAtomic(timing, JSON.stringify({ seconds: init.seconds }) + '\n');
        }
      }
      if (!opts.json) io.err(`${label}: training ${cfg.train.epochs} epochs on ${backend}`);
      record = await runOne({ cfg, variant: v.name, key, backend, init, signal: opts.signal, onEvent });
      // Recorded before the lock goes, so no other process starts the run again in between.
      await appendFile(runsFile, JSON.stringify(record) + '\n');
    } finally {
      await lock();
    }
    records.push(record);
    ran++;
    if (opts.json) io.out(JSON.stringify({ type: 'run', ...record }));
    else {
      io.err(
        `${label}: WAR ${(record.war * 100).toFixed(2)}%  UAR ${(record.uar * 100).toFixed(2)}%  ${record.gflops.toPrecision(3)} GFLOPs ` +
          `(${(record.gflops / record.fullGflops).toFixed(2)}x full)  ${record.clipsPerSec.toFixed(0)} clips/s  ${record.trainSeconds.toFixed(0)}s`,
      );
    }
  }
  if (busy && !opts.json)
    io.err(`${busy} run(s) were left to other ablate processes; run the command again when they finish for the complete table`);
  // Rows of variants not run this time (--only), and runs another ablate process finished while this one skipped
  // them, come from the records of the same configuration written so far.
  const latest = await readRecords(runsFile);
  for (const v of suite.variants) {
    for (const seed of profile.seeds) {
      if (records.some((x) => x.variant === v.name && x.seed === seed)) continue;
      const key = hashOf({ cfg: { ...variantConfig(suite, profile, v, seed), backend: undefined }, pretrain: v.pretrain ?? null });
      const r = latest.find((x) => x.variant === v.name && x.seed === seed && x.key === key);
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
    io.out(
      `table: ${relative(process.cwd(), files.markdown)}, ${relative(process.cwd(), files.json)}; plot: ${relative(process.cwd(), files.plot)}` +
        (opts.doc ? `; updated ${opts.doc}` : ''),
    );
  }
  return { table, files, ran, reused };
}
