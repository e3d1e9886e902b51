// Shared argument groups (spread into each command's args) and the flag -> config mapping.
import type { ArgsDef } from 'citty';
import { CliError } from './errors.js';

export const outputArgs = {
  json: { type: 'boolean', description: 'Print machine-readable JSON (JSON lines for progress events)', default: false },
} as const satisfies ArgsDef;

export const backendArgs = {
  backend: {
    type: 'string',
    description: 'auto | cpu | wasm | webgpu | tfjs-node | tfjs-node-gpu (default: auto, the fastest available)',
    valueHint: 'name',
  },
} as const satisfies ArgsDef;

export const configArgs = {
  config: { type: 'string', alias: 'c', description: 'YAML or JSON config file (flags override it)', valueHint: 'file' },
  set: { type: 'string', description: 'Override any config key: --set train.lr=1e-3 (repeatable)', valueHint: 'key=value' },
  plugin: { type: 'string', description: 'Module path or package that registers mask plugins (repeatable)', valueHint: 'module' },
} as const satisfies ArgsDef;

export const modelArgs = {
  preset: { type: 'string', description: 'Backbone preset: tiny | small | base', valueHint: 'name' },
} as const satisfies ArgsDef;

/** The training budget and seed, shared by `train` and `pretrain`. */
export const scheduleArgs = {
  epochs: { type: 'string', description: 'Epochs (train.epochs)', valueHint: 'n' },
  'batch-size': { type: 'string', alias: 'b', description: 'Clips per step (train.batchSize)', valueHint: 'n' },
  lr: { type: 'string', description: 'Peak learning rate (train.lr)', valueHint: 'x' },
  seed: { type: 'string', description: 'Run seed (train.seed)', valueHint: 'n' },
} as const satisfies ArgsDef;

export const dataArgs = {
  dataset: { type: 'string', alias: 'd', description: 'Dataset name (see `adatosk datasets list`; default synthetic)', valueHint: 'name' },
  root: { type: 'string', description: 'Dataset root folder (datasets that read a folder)', valueHint: 'dir' },
  fold: {
    type: 'string',
    description: "Fold of a cross-validated dataset (DFEW, MAFW: 1..5), or 'all' for every fold",
    valueHint: 'n|all',
  },
} as const satisfies ArgsDef;

/**
 * Every value of a repeatable flag (`--set a=1 --set b=2`, `--set=a=1`), read from the raw argv:
 * citty's parser keeps only the last value of a repeated string flag.
 */
export function repeatedFlag(rawArgs: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a === '--') break;
    if (a === `--${name}` && i + 1 < rawArgs.length) out.push(rawArgs[++i]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}

/** citty gives a string for one use and an array for repeats. */
export function many(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function parseScalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (/^[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      /* fall through to string */
    }
  }
  return text;
}

/** `--set a.b=1` -> { a: { b: 1 } } */
export function setOverrides(values: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`--set '${item}': expected key=value, e.g. --set train.lr=1e-3`, 2);
    const path = item.slice(0, eq).split('.');
    let o = out;
    for (const p of path.slice(0, -1)) o = (o[p] = typeof o[p] === 'object' && o[p] !== null ? o[p] : {}) as Record<string, unknown>;
    o[path[path.length - 1]] = parseScalar(item.slice(eq + 1));
  }
  return out;
}

/** `--fold`: a fold number or `all` (every fold); which folds exist is the dataset registry's to say. */
export function foldFlag(v: unknown): number | 'all' | undefined {
  if (v === 'all') return 'all';
  const n = num('fold', v);
  if (n !== undefined && !Number.isInteger(n))
    throw new CliError(`--fold '${v}' is not a fold number; pass an integer such as 1, or 'all'`, 2);
  return n;
}

export function num(name: string, v: unknown): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`--${name} '${v}' is not a number`, 2);
  return n;
}
