// Where the pipeline worker's code is. Built packages ship it next to this module (dist/pipeline-worker.js
// and .cjs); from TypeScript source (tests and scripts in this repository, which Node 20 cannot run in a
// worker) it is bundled once per process with esbuild, the bundler tsup already brings.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This module's URL in ESM builds, CJS builds (`__filename`) and the TypeScript source alike. */
function moduleUrl(): string {
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
}

let built: Promise<URL> | undefined;

async function buildFromSource(here: string): Promise<URL> {
  const entry = fileURLToPath(new URL('./entry.ts', here));
  const out = fileURLToPath(new URL('../../node_modules/.cache/adatosk-pipeline/worker.mjs', here));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new Error(
      `the pipeline worker runs from TypeScript source here (${entry}) and needs esbuild to bundle it: run \`npm run build\` or install esbuild (${(error as Error).message})`,
    );
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    conditions: ['@adatosk/source'],
    external: ['sharp', '@ffmpeg-installer/ffmpeg', '@adatosk/core', '@tensorflow/*'],
    logLevel: 'silent',
  });
  await mkdir(dirname(out), { recursive: true });
  // Unique temporary name, then rename: parallel test files may build at the same time.
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, result.outputFiles[0]!.contents);
  await rename(tmp, out);
  return pathToFileURL(out);
}

/** The worker script: `explicit`, else $ADATOSK_PIPELINE_WORKER, else the packaged one (built from source when running from source). */
export function workerScript(explicit?: string | URL): Promise<URL> {
  if (explicit) return Promise.resolve(explicit instanceof URL ? explicit : pathToFileURL(explicit));
  if (process.env.ADATOSK_PIPELINE_WORKER) return Promise.resolve(pathToFileURL(process.env.ADATOSK_PIPELINE_WORKER));
  const here = moduleUrl();
  if (/\.ts$/.test(here))
    return (built ??= buildFromSource(here).catch((error) => {
      built = undefined;
      throw error;
    }));
  return Promise.resolve(new URL(/\.cjs$/.test(here) ? './pipeline-worker.cjs' : './pipeline-worker.js', here));
}
