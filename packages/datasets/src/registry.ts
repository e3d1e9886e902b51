// Dataset registry on globalThis (two copies of the package share it), typed by declaration merging:
//   declare module '@adatosk/datasets' { interface DatasetRegistry { mine: MyOptions } }
// so createDataset('mine', opts) checks `opts`. Browser-safe.
import type { ClipDataset } from '@adatosk/core';
import type { SyntheticDatasetOptions } from './synthetic/dataset.js';

/** Dataset name -> options type. The Node entry adds dfew, ferv39k, mafw, folder, list. */
export interface DatasetRegistry {
  synthetic: SyntheticDatasetOptions;
}

export type DatasetFactory<O> = (options: O) => ClipDataset | Promise<ClipDataset>;

export interface DatasetEntry<O = unknown> {
  name: string;
  description: string;
  factory: DatasetFactory<O>;
}

const KEY = Symbol.for('adatosk.datasets.registry');
type Store = Map<string, DatasetEntry<never>>;

function store(): Store {
  const g = globalThis as unknown as Record<symbol, Store | undefined>;
  return (g[KEY] ??= new Map());
}

/** Registers a dataset factory. Re-registering the same factory is a no-op; a different one replaces it with a warning. */
export function registerDataset<K extends keyof DatasetRegistry>(
  name: K,
  factory: DatasetFactory<DatasetRegistry[K]>,
  description?: string,
): void;
export function registerDataset<O>(name: string, factory: DatasetFactory<O>, description?: string): void;
export function registerDataset(name: string, factory: DatasetFactory<never>, description = ''): void {
  const s = store();
  const existing = s.get(name);
  if (existing && existing.factory !== factory) {
    console.warn(`@adatosk/datasets: dataset '${name}' was already registered; replacing it`);
  }
  if (!existing || existing.factory !== factory) s.set(name, { name, description, factory });
}

/** The registered entry for `name`, or undefined. */
export function getDatasetEntry(name: string): DatasetEntry | undefined {
  return store().get(name) as DatasetEntry | undefined;
}

/** Registered names, sorted. */
export function listDatasets(): string[] {
  return [...store().keys()].sort();
}

export function unregisterDataset(name: string): boolean {
  return store().delete(name);
}

/** Test-only: forget every registration. */
export function resetDatasetRegistry(): void {
  store().clear();
}

/** Creates a dataset by registry name, options typed by `DatasetRegistry[name]`. */
export async function createDataset<K extends keyof DatasetRegistry>(name: K, options: DatasetRegistry[K]): Promise<ClipDataset> {
  return createDatasetByName(name, options);
}

/**
 * Untyped variant for names known only at run time (CLI flags, config files): validate `options` yourself.
 * Throws a message listing the registered names for an unknown one.
 */
export async function createDatasetByName(name: string, options: unknown): Promise<ClipDataset> {
  const entry = store().get(name);
  if (!entry) {
    throw new Error(`unknown dataset '${name}'; registered: ${listDatasets().join(', ') || '(none)'}. ` +
      `Import '@adatosk/datasets' (Node) for dfew, ferv39k, mafw, folder and list.`);
  }
  return entry.factory(options as never);
}
