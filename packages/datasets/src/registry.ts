// The typed dataset registry, the same shape as core's mask registry: each definition carries its facts
// (needs a root, its folds, its splits) so the CLI derives its flags and messages from here and a new loader
// needs no CLI edit. It lives on globalThis under a Symbol.for key, so two copies of the package share it.
// Options are typed by declaration merging:
//   declare module '@adatosk/datasets' { interface DatasetRegistry { mine: MyOptions } }
// so createDataset('mine', opts) checks `opts`. Browser-safe.
import type { ClipDataset } from '@adatosk/core';
import { didYouMean } from '@adatosk/core/internal';
import type { SyntheticDatasetOptions } from './synthetic/dataset.js';

/** Dataset name -> options type. The Node entry adds dfew, ferv39k, mafw, folder, list. */
export interface DatasetRegistry {
  synthetic: SyntheticDatasetOptions;
}

/** Names known to the type system (registered through {@link DatasetRegistry}). */
export type DatasetName = keyof DatasetRegistry & string;

/** The options type of a dataset name (a loose record for names the type system does not know). */
export type DatasetOptionsOf<N extends string> = N extends keyof DatasetRegistry ? DatasetRegistry[N] : Record<string, unknown>;

/** What a dataset takes besides its own options: the facts the CLI and checks read instead of hard-coding them. */
export interface DatasetFacts {
  /** Whether the dataset reads a folder (`root` option); false for generated data. */
  needsRoot: boolean;
  /** Cross-validation folds (the `fold` option must be one of them); absent for a fixed split. */
  folds?: readonly number[];
  /** Split names the `split` option takes; empty when the dataset has no splits. */
  splits: readonly string[];
}

/** How a dataset is made: what {@link registerDataset} takes. */
export interface DatasetDefinition<O = Record<string, unknown>> extends DatasetFacts {
  name: string;
  /** One line for `listDatasets()` and the CLI. */
  description?: string;
  create(options: O): ClipDataset | Promise<ClipDataset>;
}

/** What `listDatasets()` reports. */
export interface DatasetInfo extends DatasetFacts {
  name: string;
  description: string;
}

/** A dataset name with options, checked only at run time (names read from flags or a config file). */
export interface UncheckedDatasetSpec {
  name: string;
  options?: Record<string, unknown>;
}

interface DatasetStore {
  // biome-ignore lint/suspicious/noExplicitAny: one table holds definitions of every options type.
  definitions: Map<string, DatasetDefinition<any>>;
}

const STORE_KEY = Symbol.for('@adatosk/datasets/registry');

function store(): DatasetStore {
  const g = globalThis as unknown as Record<symbol, DatasetStore | undefined>;
  let s = g[STORE_KEY];
  if (!s) {
    s = { definitions: new Map() };
    g[STORE_KEY] = s;
  }
  return s;
}

/**
 * Registers a dataset under `definition.name`. Registering the same definition object again is a no-op;
 * a different definition under a taken name replaces it with a warning.
 */
export function registerDataset<O>(definition: DatasetDefinition<O>): void {
  if (typeof definition?.name !== 'string' || definition.name.length === 0) {
    throw new TypeError('registerDataset: the definition needs a non-empty string `name`.');
  }
  if (typeof definition.create !== 'function') {
    throw new TypeError(`registerDataset('${definition.name}'): the definition needs a \`create(options)\` function.`);
  }
  if (typeof definition.needsRoot !== 'boolean' || !Array.isArray(definition.splits)) {
    throw new TypeError(
      `registerDataset('${definition.name}'): the definition needs \`needsRoot\` (boolean) and \`splits\` (array of names).`,
    );
  }
  if (definition.folds && !(definition.folds.length > 0 && definition.folds.every((f) => Number.isInteger(f)))) {
    throw new TypeError(`registerDataset('${definition.name}'): \`folds\` must be a non-empty list of integers, or absent.`);
  }
  const { definitions } = store();
  const existing = definitions.get(definition.name);
  if (existing === definition) return;
  if (existing) {
    console.warn(
      `[@adatosk/datasets] registerDataset: a dataset named '${definition.name}' is already registered; the new definition replaces it.`,
    );
  }
  definitions.set(definition.name, definition);
}

/** Removes a dataset; returns whether it was registered. */
export function unregisterDataset(name: string): boolean {
  return store().definitions.delete(name);
}

/** Names, facts and descriptions of every registered dataset, sorted by name. */
export function listDatasets(): DatasetInfo[] {
  return [...store().definitions.values()]
    .map((d) => ({
      name: d.name,
      description: d.description ?? '',
      needsRoot: d.needsRoot,
      ...(d.folds ? { folds: [...d.folds] } : {}),
      splits: [...d.splits],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The registered definition of a dataset, or undefined. */
export function getDataset(name: string): DatasetDefinition<unknown> | undefined {
  return store().definitions.get(name);
}

/** True when a dataset of that name is registered. */
export function hasDataset(name: string): boolean {
  return store().definitions.has(name);
}

/** Test-only: forget every registration (the built-ins come back by importing the entry points in a fresh process). */
export function resetDatasetRegistry(): void {
  store().definitions.clear();
}

/** The message for a name nobody registered: the known names, a did-you-mean, and where the built-ins come from. */
export function unknownDatasetMessage(name: string): string {
  const known = listDatasets().map((d) => d.name);
  const guess = didYouMean(name, known);
  const nodeSets = ['dfew', 'ferv39k', 'mafw', 'folder', 'list'];
  return (
    `unknown dataset '${name}'${guess ? `; did you mean '${guess}'?` : '.'} Known datasets: ${known.length ? known.join(', ') : '(none)'}.` +
    (nodeSets.some((n) => !known.includes(n)) ? ` Import '@adatosk/datasets' (Node) to register ${nodeSets.join(', ')}.` : '')
  );
}

/**
 * Checks the options a dataset's facts govern, with messages that name the dataset and the fix:
 * `fold` on a dataset without folds or outside its folds, `root` on one that reads no folder or missing on
 * one that does, `split` outside its splits.
 */
export function checkDatasetOptions(definition: DatasetFacts & { name: string }, options: Record<string, unknown>): void {
  const name = definition.name;
  const { fold, root, split } = options;
  if (fold !== undefined) {
    if (!definition.folds) throw new Error(`dataset '${name}' has no folds; remove the 'fold' option (--fold)`);
    if (!definition.folds.includes(fold as number)) {
      throw new Error(`dataset '${name}' has folds ${foldList(definition.folds)}; 'fold' ${JSON.stringify(fold)} is not one of them`);
    }
  }
  if (root !== undefined && !definition.needsRoot) throw new Error(`dataset '${name}' reads no folder; remove the 'root' option (--root)`);
  if (definition.needsRoot && (typeof root !== 'string' || root === '')) {
    throw new Error(`dataset '${name}' needs a root folder: pass the 'root' option (--root <dir>)`);
  }
  if (split !== undefined && definition.splits.length > 0 && !definition.splits.includes(split as string)) {
    throw new Error(`dataset '${name}' has splits ${definition.splits.join(', ')}; 'split' ${JSON.stringify(split)} is not one of them`);
  }
}

/** `1..5` for a contiguous fold list, else `1, 3, 4`. */
export function foldList(folds: readonly number[]): string {
  const contiguous = folds.every((f, i) => i === 0 || f === folds[i - 1]! + 1);
  return contiguous && folds.length > 2 ? `${folds[0]}..${folds[folds.length - 1]}` : folds.join(', ');
}

function lookup(name: string): DatasetDefinition<unknown> {
  const definition = store().definitions.get(name);
  if (!definition) throw new Error(unknownDatasetMessage(name));
  return definition;
}

async function build(name: string, options: unknown): Promise<ClipDataset> {
  const definition = lookup(name);
  checkDatasetOptions(definition, (options ?? {}) as Record<string, unknown>);
  return definition.create(options ?? {});
}

/** Creates a dataset by registry name, options typed by `DatasetRegistry[name]`. */
export async function createDataset<N extends DatasetName>(name: N, options: DatasetRegistry[N]): Promise<ClipDataset> {
  return build(name, options);
}

/**
 * Creates a dataset from a name read at run time (flags, a config file): the facts (fold, root, split) are
 * checked here, the rest by the dataset itself. Throws a message listing the registered names for an unknown one.
 */
export async function createDatasetFromSpec(spec: UncheckedDatasetSpec): Promise<ClipDataset> {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') {
    throw new TypeError(`A dataset spec must look like { name: 'dfew', options: { root, fold, split } }, got ${JSON.stringify(spec)}.`);
  }
  return build(spec.name, spec.options);
}
