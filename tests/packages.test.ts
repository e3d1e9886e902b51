// The packages as a user installs them: `npm pack` every workspace package (its prepack hook writes the
// published package.json), install the tarballs into an empty folder outside the repository, and use them
// from there: an ESM script (the parity checks from npm alone, vitest absent), a CommonJS script (one
// training step), the CLI's synthetic quick start and an esbuild browser bundle. Third-party dependencies
// come from the npm registry (the local npm cache first). TypeScript users are checked with the repository's
// tsc against the installed .d.ts/.d.cts files. Nothing outside the repository and the temp folder is read.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const packages = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));

// Child npm processes must not inherit the `npm test` run's npm_* settings (workspace, prefix, ...).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

interface PackResult {
  name: string;
  filename: string;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

const typesNodeVersion = JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version as string;
const work = mkdtempSync(join(tmpdir(), 'adatosk-packages-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
let packed: PackResult[] = [];

beforeAll(async () => {
  mkdirSync(tarballs);
  mkdirSync(app);
  const { stdout } = await run(npm, ['pack', '--workspaces', '--json', '--pack-destination', tarballs], {
    cwd: root,
    env,
    maxBuffer: 64 << 20,
  });
  packed = JSON.parse(stdout) as PackResult[];
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'adatosk-user', version: '1.0.0', private: true }, null, 2)}\n`);
  await run(
    npm,
    // @types/node at the repository's version: a TypeScript user's Node project has it.
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      `@types/node@${typesNodeVersion}`,
      ...packed.map((p) => join(tarballs, p.filename)),
    ],
    { cwd: app, env, maxBuffer: 64 << 20 },
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

const fromApp = (file: string) => join(app, 'node_modules', ...file.split('/'));
const manifestOf = (name: string) => JSON.parse(readFileSync(fromApp(`${name}/package.json`), 'utf8'));

describe('npm pack', () => {
  it('packs every workspace package, with LICENSE and README, without src/ or source maps', () => {
    const sizes = packed.map((p) => `${p.name} ${(p.unpackedSize / 1000).toFixed(0)} kB`).join(', ');
    console.log(`unpacked: ${sizes}`);
    expect(packed.map((p) => p.name.replace('@adatosk/', '')).sort()).toEqual([...packages].sort());
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    for (const p of packed) {
      const paths = p.files.map((f) => f.path);
      expect(paths, p.name).toContain('LICENSE');
      expect(paths, p.name).toContain('README.md');
      expect(
        paths.filter(
          (f) =>
            f.startsWith('src/') ||
            f.startsWith('bench/') ||
            f.endsWith('.map') ||
            (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.d.cts')),
        ),
        p.name,
      ).toEqual([]);
      expect(readFileSync(fromApp(`${p.name}/LICENSE`), 'utf8'), p.name).toBe(license);
    }
  });

  it('publishes exports without the private source condition, every target in the tarball', () => {
    for (const p of packed) {
      const manifest = manifestOf(p.name);
      // What resolution reads (scripts may name the condition: they are the repository's, never run by users).
      const text = JSON.stringify({
        main: manifest.main,
        module: manifest.module,
        types: manifest.types,
        exports: manifest.exports,
        sideEffects: manifest.sideEffects,
      });
      expect(text, p.name).not.toContain('@adatosk/source');
      expect(text, p.name).not.toContain('./src/');
      expect(manifest.repository, p.name).toEqual({
        type: 'git',
        url: 'git+https://github.com/adatosk/adatosk.js.git',
        directory: `packages/${p.name.replace('@adatosk/', '')}`,
      });
      // Every file the exports map points at (the values, not the subpath keys).
      const targets: string[] = [];
      const collect = (value: unknown): void => {
        if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''));
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(manifest.exports);
      expect(targets.length, p.name).toBeGreaterThan(1);
      for (const target of targets) {
        if (target === 'package.json' || target.includes('*')) continue;
        expect(existsSync(fromApp(`${p.name}/${target}`)), `${p.name}: ${target}`).toBe(true);
      }
    }
    // The repository's own package.json files are back as they were (the postpack hook).
    for (const dir of packages)
      expect(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).toContain(
        dir === 'fixtures' ? '"name"' : '@adatosk/source',
      );
  });
});

describe('installed from the tarballs', () => {
  it('has one tfjs-core, and neither vitest nor ffmpeg (both optional)', () => {
    const copies: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const sub = join(dir, name);
        if (!statSync(sub).isDirectory()) continue;
        if (sub.endsWith(join('@tensorflow', 'tfjs-core'))) copies.push(sub);
        else if (name === 'node_modules' || name.startsWith('@') || dir.endsWith('node_modules')) walk(sub);
      }
    };
    walk(join(app, 'node_modules'));
    expect(copies.map((c) => c.slice(app.length + 1))).toEqual([join('node_modules', '@tensorflow', 'tfjs-core')]);
    expect(existsSync(fromApp('vitest'))).toBe(false);
    expect(existsSync(fromApp('@ffmpeg-installer/ffmpeg'))).toBe(false);
  });

  it('ESM: runs the HF parity checks from npm alone (no vitest installed)', async () => {
    writeFileSync(
      join(app, 'esm.mjs'),
      `import { selectDevice } from '@adatosk/backend-node';
       import '@adatosk/masks';
       import { createSyntheticDataset } from '@adatosk/datasets/synthetic';
       import { VERSION } from '@adatosk/core';
       import { FaceDetector } from '@adatosk/faces';
       import { readVideoFrames } from '@adatosk/faces/node';
       import { findFixturesDir, loadFixturesFromDir, runParityChecks } from '@adatosk/core/testing';
       await selectDevice('cpu');
       const results = await runParityChecks(await loadFixturesFromDir(await findFixturesDir()), { legacy: false });
       let vitestSuite = 'loaded';
       try { await import('@adatosk/core/testing/vitest'); } catch (e) { vitestSuite = e.message; }
       console.log(JSON.stringify({ VERSION, checks: results.length, failed: results.filter((r) => !r.ok).map((r) => r.name + ': ' + r.detail),
         synthetic: typeof createSyntheticDataset, faces: typeof FaceDetector + ',' + typeof readVideoFrames, vitestSuite }));`,
    );
    const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: app, env });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(out.checks).toBeGreaterThan(10);
    expect(out.failed).toEqual([]);
    expect(out.synthetic).toBe('function');
    expect(out.faces).toBe('function,function');
    expect(out.vitestSuite).toMatch(/vitest/);
  });

  it('CommonJS: requires every package and trains one AdaTosk step', async () => {
    writeFileSync(
      join(app, 'cjs.cjs'),
      `const tf = require('@tensorflow/tfjs-core');
       const { createAdaTosk } = require('@adatosk/core');
       const { registerBuiltinMasks } = require('@adatosk/masks');
       const { selectDevice } = require('@adatosk/backend-node');
       const { FIXTURE_FILES } = require('@adatosk/core/testing');
       const { renderSyntheticClip } = require('@adatosk/datasets/synthetic');
       require('@adatosk/datasets'); require('@adatosk/webgpu'); require('@adatosk/cli'); require('@adatosk/fixtures');
       require('@adatosk/faces'); require('@adatosk/faces/node'); require('@adatosk/faces/models/short-range');
       (async () => {
         await selectDevice('cpu');
         registerBuiltinMasks();
         const model = createAdaTosk('tiny', { overrides: { numFrames: 4, imageSize: 32, patchSize: 8, hiddenSize: 48, numLayers: 2, numHeads: 4,
           intermediateSize: 96, decoderHiddenSize: 24, decoderNumLayers: 1, decoderNumHeads: 3, decoderIntermediateSize: 48 } });
         const clips = tf.randomNormal([2, 4, 32, 32, 3], 0, 1, 'float32', 7);
         const labels = tf.tensor1d([1, 3], 'int32');
         const before = tf.memory().numTensors;
         const { value, grads } = tf.variableGrads(() => model.computeLoss({ clips, labels }, { rng: 1 }).loss);
         const loss = (await value.data())[0];
         const norms = await Promise.all(Object.values(grads).map(async (g) => (await tf.max(tf.abs(g)).data())[0]));
         tf.train.adam(1e-3).applyGradients(grads);
         tf.dispose([value, grads]);
         console.log(JSON.stringify({ loss, grads: norms.length, finite: norms.every(Number.isFinite), nonzero: norms.filter((n) => n > 0).length,
           fixtures: FIXTURE_FILES.io, clip: typeof renderSyntheticClip }));
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: app, env });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(Number.isFinite(out.loss)).toBe(true);
    expect(out.grads).toBeGreaterThan(20);
    expect(out.finite).toBe(true);
    expect(out.nonzero).toBeGreaterThan(20);
    expect(out.fixtures).toBe('io.safetensors');
  });

  it('TypeScript: the types resolve under import (node16 ESM) and require (node16 CJS)', async () => {
    // One file per module system, using a value and a type from every entry a user imports.
    const uses = `
      const model: AdaToskModel = createAdaTosk('tiny');
      const results: Promise<ParityResult[]> = runParityChecks({} as FixtureBytes);
      const device: Promise<string> = selectDevice('cpu').then(String);
      const masks: unknown = [listMasks, combinedMask];
      const clip: unknown = renderSyntheticClip;
      const detector: typeof FaceDetector = FaceDetector;
      const webgpu: unknown = installWebGPUKernels;
      const cli: unknown = runTrain;
      const fixtures: string = fixturesRoot;
      const web: unknown = selectWebDevice;
      const frames: unknown = readVideoFrames;
      export { model, results, device, masks, clip, detector, webgpu, cli, fixtures, web, frames };`;
    const imports = `
      import { createAdaTosk, listMasks, type AdaToskModel } from '@adatosk/core';
      import { runParityChecks, type FixtureBytes, type ParityResult } from '@adatosk/core/testing';
      import { selectDevice } from '@adatosk/backend-node';
      import { combinedMask } from '@adatosk/masks';
      import { renderSyntheticClip } from '@adatosk/datasets/synthetic';
      import { FaceDetector } from '@adatosk/faces';
      import { readVideoFrames } from '@adatosk/faces/node';
      import { installWebGPUKernels } from '@adatosk/webgpu';
      import { runTrain } from '@adatosk/cli';
      import { fixturesRoot } from '@adatosk/fixtures';
      import { selectWebDevice } from '@adatosk/backend-web';`;
    writeFileSync(
      join(app, 'types-esm.mts'),
      `${imports}\nimport type { ParitySuiteOptions } from '@adatosk/core/testing/vitest';\n${uses}\nexport type Suite = ParitySuiteOptions;\n`,
    );
    writeFileSync(join(app, 'types-cjs.cts'), `${imports}\n${uses}\n`);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['types-esm.mts', 'types-cjs.cts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, env }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  });

  it('CLI: npx adatosk train --epochs 1 (the synthetic quick start, kept short)', async () => {
    const { stdout } = await run(
      npx,
      [
        '--no-install',
        'adatosk',
        'train',
        '--epochs',
        '1',
        '--backend',
        'wasm',
        '--json',
        '--set',
        'data.trainClips=8',
        '--set',
        'data.testClips=4',
        '--set',
        'output.plots=false',
        '--set',
        'output.dir=runs',
      ],
      { cwd: app, env, maxBuffer: 64 << 20 },
    );
    const events = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; runDir?: string; checkpoint?: string });
    expect(events.some((e) => e.type === 'step')).toBe(true);
    const result = events.at(-1);
    expect(result?.type).toBe('result');
    expect(resolve(app, result?.runDir ?? '')).toContain(join(app, 'runs'));
    expect(existsSync(resolve(app, result?.checkpoint ?? 'missing'))).toBe(true);
  });

  it('browser: esbuild bundles core + masks + backend-web + datasets/synthetic', async () => {
    writeFileSync(
      join(app, 'browser.mjs'),
      `import '@adatosk/masks';
       import { backendReady } from '@adatosk/backend-web/register';
       import { recognize, loadAdaToskFromUrl } from '@adatosk/backend-web';
       import { createAdaTosk } from '@adatosk/core';
       import { createSyntheticDataset } from '@adatosk/datasets/synthetic';
       globalThis.app = { backendReady, recognize, loadAdaToskFromUrl, createAdaTosk, createSyntheticDataset };`,
    );
    const result = await build({
      entryPoints: [join(app, 'browser.mjs')],
      absWorkingDir: app,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      outdir: join(app, 'out'),
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(result.errors).toEqual([]);
    // One tfjs-core, the installed one, and no @adatosk file from outside the app folder.
    expect(new Set(inputs.filter((i) => i.includes('tfjs-core/')).map((i) => i.split('tfjs-core/')[0]))).toEqual(
      new Set(['node_modules/@tensorflow/']),
    );
    expect(inputs.filter((i) => !i.startsWith('node_modules/') && i !== 'browser.mjs' && !i.startsWith('(disabled)'))).toEqual([]);
    const bytes = result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0);
    console.log(`browser bundle from the tarballs: ${(bytes / 1000).toFixed(0)} kB minified`);
  });
});
