// `adatosk datasets prepare <name|folder> <root> --faces --out <dir>`: raw videos (MAFW's clips, DFEW's
// originals, FERV39K clips, a folder of class-per-folder videos) -> face-cropped frame folders in the layout
// the loaders read. Clips without a face are skipped and named.
import type { ArgsDef, ParsedArgs } from 'citty';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FACE_LAYOUTS, prepareFaceClips, type FaceLayout, type PrepareFacesReport } from '@adatosk/faces/node';
import { num } from '../../args.js';
import { CliError } from '../../errors.js';
import { processIo, type Io } from '../../io.js';
import { useBackend } from '../../runtime/backend.js';

export interface PrepareFacesCliOptions {
  /** mafw | dfew | ferv39k | folder (class-per-folder videos). */
  name: string;
  root: string;
  out?: string;
  /** Crop faces (required for now: the frame cache of `datasets prepare` comes without it). */
  faces?: boolean;
  /** Crop side in pixels (default 224). */
  size?: number;
  detector?: 'short' | 'back';
  /** Only the first N clips (a trial run). */
  limit?: number;
  backend?: string;
  json?: boolean;
  io?: Io;
}

export async function runPrepareFaces(opts: PrepareFacesCliOptions): Promise<PrepareFacesReport> {
  const io = opts.io ?? processIo;
  if (!opts.faces)
    throw new CliError(
      'datasets prepare: add --faces to crop faces out of raw videos (the frame cache without --faces is a separate step)',
      2,
    );
  if (!FACE_LAYOUTS.includes(opts.name as FaceLayout)) {
    throw new CliError(
      `datasets prepare --faces: unknown dataset '${opts.name}'; use one of ${FACE_LAYOUTS.join(', ')} (folder: your own <Class>/<clip>.mp4 videos)`,
      2,
    );
  }
  if (!existsSync(opts.root))
    throw new CliError(`datasets prepare: root '${opts.root}' does not exist; pass the folder that holds the raw videos`, 2);
  if (!opts.out) throw new CliError('datasets prepare: give --out <dir> for the face frames', 2);
  if (resolve(opts.out) === resolve(opts.root)) throw new CliError('datasets prepare: --out must differ from the dataset root', 2);
  if (opts.size !== undefined && !(Number.isInteger(opts.size) && opts.size >= 16))
    throw new CliError(`--size must be an integer of at least 16, got ${opts.size}`, 2);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1))
    throw new CliError(`--limit must be a positive integer, got ${opts.limit}`, 2);
  await useBackend(opts.backend ?? 'auto');
  let report: PrepareFacesReport;
  try {
    report = await prepareFaceClips({
      layout: opts.name as FaceLayout,
      root: opts.root,
      out: opts.out,
      size: opts.size,
      detector: opts.detector,
      limit: opts.limit,
      onClip: (r, done, total) => {
        const what =
          r.status === 'written'
            ? `${r.frames} face frames of ${r.videoFrames}${r.faces > 1 ? ` (${r.faces} faces, kept the main one)` : ''}`
            : r.status === 'no-face'
              ? `no face found in ${r.videoFrames} frames: skipped`
              : r.status === 'done-before'
                ? 'already prepared'
                : `failed: ${r.message}`;
        io.err(`[${done}/${total}] ${r.id}: ${what}`);
      },
    });
  } catch (e) {
    throw new CliError(`datasets prepare ${opts.name} ${opts.root}: ${(e as Error).message}`, 2);
  }
  if (opts.json) io.out(JSON.stringify(report));
  else {
    io.out(
      `${opts.name} at ${opts.root} -> ${opts.out}: ${report.written} clips written, ${report.donePreviously} prepared before, ${report.noFace.length} without a face, ${report.failed.length} failed (of ${report.clips}); ${report.framesPerSecond} frames/s`,
    );
    if (report.copied.length > 0) io.out(`  copied ${report.copied.length} split/label files`);
    for (const c of report.noFace.slice(0, 20)) io.out(`  no face: ${c.id} (${c.video})`);
    if (report.noFace.length > 20)
      io.out(`  ... and ${report.noFace.length - 20} more without a face (all in ${opts.out}/prepare-faces.json)`);
    for (const c of report.failed.slice(0, 20)) io.out(`  failed: ${c.id} (${c.video}): ${c.message}`);
    if (report.failed.length > 20) io.out(`  ... and ${report.failed.length - 20} more failed`);
  }
  if (report.failed.length > 0) process.exitCode = 1;
  return report;
}

export const prepareFacesArgs = {
  faces: { type: 'boolean', default: false, description: 'Detect, track and crop the main face of every raw video into frame folders' },
  out: { type: 'string', alias: 'o', description: 'Output folder (the same layout, frame folders in place of videos)', valueHint: 'dir' },
  size: { type: 'string', description: 'Face crop side in pixels (default 224)', valueHint: 'px' },
  detector: {
    type: 'enum',
    options: ['short', 'back'],
    default: 'short',
    description: 'short: BlazeFace short-range (fast); back: also small, distant faces (~2-4x slower)',
  },
  limit: { type: 'string', description: 'Only the first N clips (a trial run)', valueHint: 'n' },
} as const satisfies ArgsDef;

/** Runs `datasets prepare --faces` from parsed flags. */
export async function prepareFacesFromArgs(
  args: ParsedArgs<typeof prepareFacesArgs> & { name: string; root: string; out?: string; backend?: string; json?: boolean },
): Promise<void> {
  await runPrepareFaces({
    name: args.name,
    root: args.root,
    out: args.out,
    faces: args.faces,
    size: num('size', args.size),
    detector: args.detector as 'short' | 'back',
    limit: num('limit', args.limit),
    backend: args.backend,
    json: args.json,
  });
}
