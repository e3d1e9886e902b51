// `adatosk datasets prepare <name> <root> --out <dir>`: reads a dataset through its loader once and writes
// a frame cache that training reads fast (`adatosk train --cache <dir>`). Resumable; refuses to overwrite a
// cache made with other options unless --force.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ArgsDef, ParsedArgs } from 'citty';
import { ClipWorkerPool, prepareCache, verifyCache, type PrepareCacheResult, type CacheVerifyReport } from '@adatosk/datasets';
import { many, num, repeatedFlag, setOverrides } from '../../args.js';
import { CliError } from '../../errors.js';
import { processIo, type Io } from '../../io.js';

export interface DatasetsPrepareOptions {
  name: string;
  root: string;
  out: string;
  /** DFEW/MAFW folds (default all). */
  folds?: number[];
  /** Splits (default train and test; class-per-folder datasets: sub-folders). */
  splits?: string[];
  /** List datasets: list files. */
  listFiles?: string[];
  /** Loader options that decide the clips (source, labels, classOrder, captions, classes). */
  options?: Record<string, unknown>;
  size?: number;
  storedSize?: number;
  format?: 'raw' | 'jpeg';
  quality?: number;
  shardMiB?: number;
  /** Worker threads (default one per core; 0 = main thread). */
  workers?: number;
  force?: boolean;
  /** Check every frame's checksum afterwards. */
  verify?: boolean;
  json?: boolean;
  io?: Io;
  signal?: AbortSignal;
}

export interface DatasetsPrepareResult extends PrepareCacheResult {
  verify?: CacheVerifyReport;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export async function runDatasetsPrepare(opts: DatasetsPrepareOptions): Promise<DatasetsPrepareResult> {
  const io = opts.io ?? processIo;
  if (!existsSync(opts.root))
    throw new CliError(`datasets prepare: root '${opts.root}' does not exist; pass the folder that holds the dataset`, 2);
  const workers = opts.workers ?? availableParallelism();
  const pool = workers > 0 ? await ClipWorkerPool.start({ workers }) : undefined;
  let last = 0;
  let r: DatasetsPrepareResult;
  try {
    r = await prepareCache({
      dataset: opts.name,
      root: opts.root,
      out: opts.out,
      ...(opts.folds ? { folds: opts.folds } : {}),
      ...(opts.splits ? { splits: opts.splits } : {}),
      ...(opts.listFiles ? { listFiles: opts.listFiles } : {}),
      ...(opts.options ? { options: opts.options } : {}),
      ...(opts.size !== undefined ? { size: opts.size } : {}),
      ...(opts.storedSize !== undefined ? { storedSize: opts.storedSize } : {}),
      ...(opts.format ? { format: opts.format } : {}),
      ...(opts.quality !== undefined ? { quality: opts.quality } : {}),
      ...(opts.shardMiB !== undefined ? { shardBytes: Math.round(opts.shardMiB * 2 ** 20) } : {}),
      ...(pool ? { executor: pool } : {}),
      force: opts.force ?? false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => {
        if (opts.json || (p.done !== p.total && Date.now() - last < 2000)) return;
        last = Date.now();
        io.err(`prepare: ${p.done}/${p.total} clips, ${p.skipped} skipped, ${p.shards} shards written`);
      },
    });
  } catch (e) {
    const err = e as Error;
    if (/unknown dataset/.test(err.message)) throw new CliError(err.message, 2);
    throw new CliError(`datasets prepare ${opts.name} ${opts.root}: ${err.message}`, 1);
  } finally {
    await pool?.close();
  }
  if (opts.verify && r.complete) r.verify = await verifyCache(r.dir);
  if (opts.json) io.out(JSON.stringify(r));
  else {
    io.out(
      `${r.complete ? 'cache ready' : 'cache INCOMPLETE (stopped)'}: ${r.dir}: ${r.total} clips (${r.reused} kept from an earlier run, ${r.encoded} read now), ` +
        `${r.frames} frames in ${r.shards} shards, ${mib(r.bytes)} MiB, ${r.seconds.toFixed(1)} s`,
    );
    for (const s of r.skipped.slice(0, 20)) io.out(`  skipped ${s.id} (${s.kind}): ${s.message}`);
    if (r.skipped.length > 20) io.out(`  ... and ${r.skipped.length - 20} more skipped`);
    if (r.verify)
      io.out(
        r.verify.ok
          ? `  verified: every frame's checksum matches (${r.verify.frames} frames)`
          : r.verify.problems.map((p) => `  PROBLEM: ${p.message}`).join('\n'),
      );
    if (!r.complete) io.out(`  run the same command again to finish it`);
    else
      io.out(
        `  train with: adatosk train --dataset ${opts.name} --cache ${r.dir}${opts.folds?.length === 1 ? ` --fold ${opts.folds[0]}` : ''}`,
      );
  }
  if (!r.complete || (r.verify && !r.verify.ok)) process.exitCode = 1;
  return r;
}

/** `1,2` or `all` -> folds. */
function parseFolds(v: unknown): number[] | undefined {
  const items = many(v).flatMap((s) => s.split(','));
  if (items.length === 0 || items.includes('all')) return undefined;
  return items.map((s) => {
    const n = Number(s);
    if (!(Number.isInteger(n) && n >= 1 && n <= 5)) throw new CliError(`--fold '${s}': expected 1..5, a list like 1,2, or all`, 2);
    return n;
  });
}

/** The flags of the frame cache (`datasets prepare` without --faces). */
export const prepareCacheArgs = {
  name: { type: 'positional', required: true, description: 'dfew | ferv39k | mafw | folder | list', valueHint: 'name' },
  root: { type: 'positional', required: true, description: 'Dataset root folder', valueHint: 'dir' },
  out: {
    type: 'string',
    alias: 'o',
    required: true,
    description: 'Cache folder (created; an interrupted prepare resumes there)',
    valueHint: 'dir',
  },
  fold: { type: 'string', description: 'DFEW/MAFW folds to include: 1..5, a list (1,2) or all (default all)', valueHint: 'n|list|all' },
  split: { type: 'string', description: 'Splits to include (default train,test; folder datasets: sub-folders)', valueHint: 'list' },
  'list-file': { type: 'string', description: 'List dataset: list file (repeatable)', valueHint: 'file' },
  option: {
    type: 'string',
    description: 'Loader option key=value (repeatable): source=video, labels=compound, classOrder=dfer-clip, ...',
    valueHint: 'key=value',
  },
  size: { type: 'string', description: 'Training frame size (default 160)', valueHint: 'px' },
  'stored-size': { type: 'string', description: 'Stored frame size, >= --size (default: --size)', valueHint: 'px' },
  format: {
    type: 'enum',
    options: ['raw', 'jpeg'],
    default: 'raw',
    description: 'raw: uint8 frames (fastest); jpeg: ~10x smaller, slower to read',
  },
  quality: { type: 'string', description: 'JPEG quality (default 90)', valueHint: '1-100' },
  'shard-mb': { type: 'string', description: 'Shard size in MiB (default 256)', valueHint: 'MiB' },
  workers: { type: 'string', description: 'Worker threads (default one per core; 0 = main thread)', valueHint: 'n' },
  force: { type: 'boolean', default: false, description: 'Rebuild a cache made with other options or from a source that changed since' },
  verify: { type: 'boolean', default: false, description: "Read everything back and check every frame's checksum" },
} as const satisfies ArgsDef;

/** Runs `datasets prepare` for a frame cache from parsed flags. */
export async function prepareCacheFromArgs(
  args: ParsedArgs<typeof prepareCacheArgs> & { json?: boolean },
  rawArgs: string[],
): Promise<void> {
  const options = setOverrides(repeatedFlag(rawArgs, 'option'));
  const splits = many(args.split)
    .flatMap((s) => s.split(','))
    .filter(Boolean);
  const listFiles = repeatedFlag(rawArgs, 'list-file');
  await runDatasetsPrepare({
    name: args.name,
    root: args.root,
    out: args.out,
    folds: parseFolds(args.fold),
    ...(splits.length ? { splits } : {}),
    ...(listFiles.length ? { listFiles } : {}),
    ...(Object.keys(options).length ? { options } : {}),
    size: num('size', args.size),
    storedSize: num('stored-size', args['stored-size']),
    format: args.format as 'raw' | 'jpeg',
    quality: num('quality', args.quality),
    shardMiB: num('shard-mb', args['shard-mb']),
    workers: num('workers', args.workers),
    force: args.force,
    verify: args.verify,
    json: args.json,
  });
}
