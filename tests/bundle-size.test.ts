// Browser bundle weight of the built packages (esbuild, minified, TF.js backends included), with budgets.
// kB = 1000 bytes. Sizes are printed so a change shows up in the test log.
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const kB = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

// Budgets. A page that picks its device with selectWebDevice (backends imported on demand) loads the
// entry chunks and one TF.js backend: at most 900 kB. Everything in one file (the /register entry
// imports WebGPU, WebGL, WASM and CPU at once) cannot fit 900 kB: TF.js itself is ~1.08 MB of it.
const BUDGET = { perDevice: 900_000, allBackends: 1_400_000, zod: 40_000, synthetic: 300_000 };

async function bundle(contents: string, splitting: boolean): Promise<Metafile> {
  const result = await build({
    stdin: { contents, resolveDir: join(root, 'packages', 'backend-web'), sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    splitting,
    write: false,
    metafile: true,
    outdir: join(tmpdir(), 'adatosk-bundle-size'), // nothing is written (write: false)
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Bytes each package contributes to the outputs, e.g. { zod: 26_000, '@tensorflow/tfjs-core': 169_000 }. */
function byPackage(meta: Metafile, outputs = Object.keys(meta.outputs)): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const out of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[out].inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? /packages\/([^/]+)\//.exec(input)?.[1] ?? input;
      sums[name] = (sums[name] ?? 0) + bytesInOutput;
    }
  }
  return sums;
}

function staticClosure(meta: Metafile, start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const imp of meta.outputs[start].imports) if (imp.kind === 'import-statement' && !imp.external) staticClosure(meta, imp.path, seen);
  return seen;
}

const total = (meta: Metafile, outputs: Iterable<string>) => [...outputs].reduce((sum, out) => sum + meta.outputs[out].bytes, 0);
const zodBytes = (sizes: Record<string, number>) => sizes.zod ?? 0;
const fullZod = (meta: Metafile) =>
  Object.values(meta.outputs)
    .flatMap((o) => Object.keys(o.inputs))
    .filter((i) => /node_modules\/zod\/v4\/classic\//.test(i));

describe('browser bundle of core + masks + backend-web (minified)', () => {
  it(`a page loading one device stays within ${kB(BUDGET.perDevice)}`, async () => {
    const meta = await bundle(
      `import '@adatosk/masks';
       import { selectWebDevice, loadAdaToskFromUrl, recognize, videoFrames } from '@adatosk/backend-web';
       import { createAdaTosk, train } from '@adatosk/core';
       globalThis.app = { selectWebDevice, loadAdaToskFromUrl, recognize, videoFrames, createAdaTosk, train };`,
      true,
    );
    const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o].entryPoint?.endsWith('entry.js')) as string;
    const initial = staticClosure(meta, entry);
    const devices: Record<string, number> = {};
    for (const [out, { entryPoint }] of Object.entries(meta.outputs)) {
      const backend = /@tensorflow\/tfjs-backend-(\w+)\//.exec(entryPoint ?? '')?.[1];
      if (!backend) continue;
      const extra = [...staticClosure(meta, out)].filter((o) => !initial.has(o));
      devices[backend] = total(meta, initial) + total(meta, extra);
    }
    const sizes = byPackage(meta);
    console.log(
      `bundle, one device: initial ${kB(total(meta, initial))}; with its backend: ${Object.entries(devices)
        .map(([d, b]) => `${d} ${kB(b)}`)
        .join(', ')}; ` + `all chunks ${kB(total(meta, Object.keys(meta.outputs)))}; zod ${kB(zodBytes(sizes))}`,
    );
    expect(Object.keys(devices).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
    for (const [device, bytes] of Object.entries(devices)) expect(bytes, `${device}: ${kB(bytes)}`).toBeLessThanOrEqual(BUDGET.perDevice);
    expect(fullZod(meta)).toEqual([]);
    expect(zodBytes(sizes)).toBeLessThanOrEqual(BUDGET.zod);
  });

  it(`everything in one file (the /register entry, four TF.js backends) stays within ${kB(BUDGET.allBackends)}`, async () => {
    const meta = await bundle(
      `import '@adatosk/masks';
       import { backendReady } from '@adatosk/backend-web/register';
       import { loadAdaToskFromUrl, recognize, videoFrames } from '@adatosk/backend-web';
       import { createAdaTosk, train } from '@adatosk/core';
       globalThis.app = { backendReady, loadAdaToskFromUrl, recognize, videoFrames, createAdaTosk, train };`,
      false,
    );
    const bytes = total(meta, Object.keys(meta.outputs));
    const sizes = byPackage(meta);
    const tfjs = Object.entries(sizes)
      .filter(([name]) => name.startsWith('@tensorflow/'))
      .reduce((sum, [, b]) => sum + b, 0);
    const ours = Object.entries(sizes)
      .filter(([name]) => ['core', 'masks', 'backend-web'].includes(name))
      .reduce((sum, [, b]) => sum + b, 0);
    console.log(`bundle, all backends: ${kB(bytes)} (TF.js ${kB(tfjs)}, @adatosk ${kB(ours)}, zod ${kB(zodBytes(sizes))})`);
    expect(bytes).toBeLessThanOrEqual(BUDGET.allBackends);
    expect(fullZod(meta)).toEqual([]);
    expect(zodBytes(sizes)).toBeLessThanOrEqual(BUDGET.zod);
  });

  it("@adatosk/datasets/synthetic does not bundle zod's full build", async () => {
    const meta = await bundle(
      `import { createSyntheticDataset, renderSyntheticClip } from '@adatosk/datasets/synthetic';
       globalThis.app = { createSyntheticDataset, renderSyntheticClip };`,
      false,
    );
    const bytes = total(meta, Object.keys(meta.outputs));
    const sizes = byPackage(meta);
    console.log(
      `bundle, @adatosk/datasets/synthetic: ${kB(bytes)} (zod ${kB(zodBytes(sizes))}, tfjs-core ${kB(sizes['@tensorflow/tfjs-core'] ?? 0)})`,
    );
    expect(fullZod(meta)).toEqual([]);
    expect(zodBytes(sizes)).toBeLessThanOrEqual(BUDGET.zod);
    expect(bytes).toBeLessThanOrEqual(BUDGET.synthetic);
  });
});
