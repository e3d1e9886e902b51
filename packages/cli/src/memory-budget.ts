// `--memory-budget 20GB` (train.memoryBudget): the memory a training step may use, for recomputeBlocks 'auto'.
import bytes from 'bytes';
import { CliError } from './errors.js';

/**
 * Bytes from `20GB`, `512MB`, `1.5TB`, `20GiB` or a plain number of bytes. Units are binary (1 GB = 2^30
 * bytes, as the `bytes` package reads them; GiB/MiB/KiB/TiB are accepted as the same).
 */
export function parseMemoryBudget(value: string | number, flag = 'memory-budget'): number {
  const text = String(value)
    .trim()
    .replace(/([kmgtp])ib$/i, '$1b');
  const ok = /^\d+(\.\d+)?\s*([kmgtp]?b)?$/i.test(text);
  const n = ok ? bytes.parse(text) : null;
  if (n === null || !(n > 0))
    throw new CliError(`--${flag} '${value}' is not a memory size; write e.g. 20GB, 512MB or a number of bytes`, 2);
  return n;
}
