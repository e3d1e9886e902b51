// Loads a config file (YAML or JSON), merges flags over it, and validates with messages that name the key and the fix.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '@adatosk/core/internal';
import { configSchema, type RunConfig } from './schema.js';
import { CliError } from '../errors.js';

/** A plain config object (parsed YAML/JSON or flags). */
export type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: `over` wins; arrays and scalars replace. */
export function mergeConfig(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObj(v) && isObj(out[k]) ? mergeConfig(out[k] as Obj, v) : v;
  }
  return out;
}

/** Allowed keys at a dotted path of the schema (for did-you-mean). */
function keysAt(path: PropertyKey[]): string[] {
  let s: z.ZodType = configSchema;
  for (const p of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(p)];
    else return [];
    if (!s) return [];
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}
function unwrap(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable)
      s = (s as unknown as { unwrap(): z.ZodType }).unwrap();
    else break;
  }
  return s;
}

/** Turns zod issues into one message per problem: `source: key 'train.lr': ... ; fix`. */
export function formatIssues(error: z.ZodError, source: string): string {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const where = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = [...issue.path, key].join('.');
        const allowed = keysAt(issue.path);
        const guess = didYouMean(key, allowed);
        lines.push(
          `unknown key '${full}'` +
            (guess ? `; did you mean '${[...issue.path, guess].join('.')}'?` : '') +
            ` Allowed here: ${allowed.join(', ')}.`,
        );
      }
    } else if (issue.code === 'invalid_type') {
      lines.push(`key '${where}': ${issue.message}; fix the value's type (see docs/cli.md)`);
    } else {
      lines.push(`key '${where}': ${issue.message}`);
    }
  }
  return `${source}: invalid configuration\n  - ${lines.join('\n  - ')}`;
}

export function validateConfig(input: unknown, source = 'config'): RunConfig {
  const r = configSchema.safeParse(input);
  if (!r.success) throw new CliError(formatIssues(r.error, source), 2);
  return r.data;
}

export async function readConfigFile(path: string): Promise<Obj> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(
      `config file '${path}' cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the --config path`,
      2,
    );
  }
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new CliError(`config file '${path}' is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`, 2);
  }
  if (value == null) return {};
  if (!isObj(value))
    throw new CliError(
      `config file '${path}' must hold a mapping of keys (model, data, train, ...), got ${Array.isArray(value) ? 'a list' : typeof value}`,
      2,
    );
  return value;
}

/** File (if any) < flags. */
export async function loadConfig(file: string | undefined, flags: Obj): Promise<RunConfig> {
  const base = file ? await readConfigFile(file) : {};
  return validateConfig(mergeConfig(base, flags), file ?? 'flags');
}
