// An ablation suite: one base run configuration (the data and the training budget every variant shares), named
// profiles (seeds and budget overrides, e.g. `quick` and `full`) and a list of variant files. A variant file
// changes only the model (AdaTosk options, masks, weights) and may load mask plugins or ask for VideoMAE
// pre-training first, so a user's own mask can be a row of the table.
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { formatIssues, mergeConfig, readConfigFile, validateConfig, type Obj } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { CliError } from '../errors.js';

const obj = z.record(z.string(), z.unknown());

export const pretrainSpecSchema = z.strictObject({
  /** Pre-training epochs over the training split (labels unused). */
  epochs: z.number().int().min(1),
  /** Peak learning rate of pre-training (default: the run's). */
  lr: z.number().positive().optional(),
  /** Hidden fraction of the tube mask (default 0.9). */
  rhoH: z.number().min(0).lt(1).optional(),
});
export type PretrainSpec = z.infer<typeof pretrainSpecSchema>;

export const variantSchema = z.strictObject({
  /** Row name (unique in the suite; used in file names, so letters, digits, '-' and '_'). */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _'),
  /** Row label in the table and plot (default: the name). */
  label: z.string().optional(),
  /** One sentence on what the row tests. */
  description: z.string().default(''),
  /** Model keys merged over the base's (`preset` and `overrides` must stay the base's: same backbone). */
  model: obj.default({}),
  /** Mask plugin modules (paths relative to the variant file, or package names). */
  plugins: z.array(z.string()).default([]),
  /** Pre-train with VideoMAE's objective on the training split first, then fine-tune from those weights. */
  pretrain: pretrainSpecSchema.optional(),
  /** Training keys that may differ between rows (the budget keys epochs/batchSize/accumSteps may not). */
  train: obj.default({}),
});
export type VariantFile = z.infer<typeof variantSchema>;

export const profileSchema = z.strictObject({
  /** Seeds of every variant (at least 3 for a spread). */
  seeds: z.array(z.number().int()).min(1),
  /** Config keys merged over the base for this profile (e.g. fewer clips and epochs for `quick`). */
  config: obj.default({}),
});
export type Profile = z.infer<typeof profileSchema>;

export const suiteSchema = z.strictObject({
  description: z.string().default(''),
  /** The variant the GFLOPs ratio and the WAR gap are measured against (the full-token model). */
  reference: z.string(),
  /** Run configuration shared by every variant: data, training budget, backbone, backend. */
  base: obj,
  profiles: z.record(z.string(), profileSchema),
  /** Variant files, relative to the suite file. */
  variants: z.array(z.string()).min(1),
  /** Rows to compare: the method against baselines at the same cost, reported as a WAR difference. */
  comparisons: z.array(z.strictObject({ method: z.string(), baselines: z.array(z.string()).min(1) })).default([]),
});
export type SuiteFile = z.infer<typeof suiteSchema>;

/** A variant ready to run: its validated run config per seed is built by {@link variantConfig}. */
export interface Variant extends VariantFile {
  label: string;
  /** The file it came from. */
  file: string;
  /** Plugin modules resolved against the variant file. */
  pluginPaths: string[];
}

export interface Suite extends Omit<SuiteFile, 'variants'> {
  file: string;
  variants: Variant[];
}

const BUDGET_KEYS = ['epochs', 'batchSize', 'accumSteps'] as const;

function parse<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(formatIssues(r.error, source), 2);
  return r.data;
}

function resolvePlugin(spec: string, base: string): string {
  const isPath = spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec);
  return isPath && !isAbsolute(spec) ? resolve(base, spec) : spec;
}

/** Reads one variant file and checks that it leaves the data and the training budget alone. */
export async function loadVariant(file: string): Promise<Variant> {
  const v = parse(variantSchema, await readConfigFile(file), file);
  for (const key of ['preset', 'overrides'] as const) {
    if (key in v.model)
      throw new CliError(
        `${file}: model.${key} must not change between rows (the backbone is the suite's base); set it in the suite's base`,
        2,
      );
  }
  for (const key of BUDGET_KEYS) {
    if (key in v.train) throw new CliError(`${file}: train.${key} is part of the shared budget; set it in the suite's base or profile`, 2);
  }
  return { ...v, label: v.label ?? v.name, file, pluginPaths: v.plugins.map((p) => resolvePlugin(p, dirname(file))) };
}

/** Reads a suite file and its variants (`extra` variant files are added after the suite's own). */
export async function loadSuite(file: string, extra: string[] = []): Promise<Suite> {
  const s = parse(suiteSchema, await readConfigFile(file), file);
  const dir = dirname(resolve(file));
  const variants = await Promise.all([...s.variants.map((v) => resolve(dir, v)), ...extra.map((v) => resolve(v))].map(loadVariant));
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new CliError(`${v.file}: variant name '${v.name}' is used twice; names must be unique`, 2);
    names.add(v.name);
  }
  const known = (n: string, what: string) => {
    if (!names.has(n)) throw new CliError(`${file}: ${what} '${n}' is not a variant of the suite (variants: ${[...names].join(', ')})`, 2);
  };
  known(s.reference, 'reference');
  for (const c of s.comparisons) [c.method, ...c.baselines].forEach((n) => known(n, 'comparison row'));
  return { ...s, file, variants };
}

/** The profile by name, with a message listing the suite's profiles. */
export function profileOf(suite: Suite, name: string): Profile {
  const p = suite.profiles[name];
  if (!p) throw new CliError(`${suite.file}: no profile '${name}'; profiles: ${Object.keys(suite.profiles).join(', ')}`, 2);
  return p;
}

/** The run configuration of one (variant, seed): base < profile < variant model/train keys, then the seed. */
export function variantConfig(suite: Suite, profile: Profile, variant: Variant, seed: number): RunConfig {
  let merged: Obj = mergeConfig(suite.base, profile.config);
  merged = mergeConfig(merged, { model: variant.model, train: { ...variant.train, seed } });
  // A mask is replaced whole: another strategy's options must not leak into it.
  const own = (variant.model.adatosk ?? {}) as Obj;
  const adatosk = ((merged.model as Obj).adatosk ?? {}) as Obj;
  for (const key of ['softMask', 'hardMask']) if (key in own) adatosk[key] = own[key];
  assertHardMaskHides(variant, own, adatosk.hardMask, suite.file);
  merged.plugins = [...((merged.plugins as string[] | undefined) ?? []), ...variant.pluginPaths];
  return validateConfig(merged, `${variant.file} (over ${suite.file})`);
}

/**
 * A variant that asks for hidden positions (`rhoH`/`rhoHInfer` > 0) while it inherits a hard mask that hides
 * nothing (`mode: none`, common in a base whose other rows select tokens) would quietly train another row.
 */
function assertHardMaskHides(variant: Variant, own: Obj, hardMask: unknown, suiteFile: string): void {
  const hm = hardMask as { options?: { mode?: string } } | undefined;
  if (hm?.options?.mode !== 'none') return;
  for (const key of ['rhoH', 'rhoHInfer']) {
    const ratio = own[key];
    if (typeof ratio === 'number' && ratio > 0)
      throw new CliError(
        `${variant.file}: ${key} ${ratio} hides nothing, because the hard mask it inherits from ${suiteFile} has mode 'none'; ` +
          'set model.adatosk.hardMask in the variant, e.g. { name: hard-random, options: { mode: tube } }',
        2,
      );
  }
}
