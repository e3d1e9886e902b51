// TF.js stays one copy: no built file may carry tfjs-core's own modules (engine, tensor, ops, registries),
// and tfjs-core's gradients are still registered by the built packages under import and require.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Every package with a build (fixtures ships data and hand-written entry files only).
const packages = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'tsup.config.ts')));

function builtFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return builtFiles(file);
    return /\.(c|m)?js$/.test(name) ? [file] : [];
  });
}

// What scripts/tfjs-gradients.ts may bundle: the gradient configs and the op wrappers the public API lacks.
const allowedModule = /^(register_all_gradients\.js|gradients\/\w+\.js|ops\/\w*(_grad|backprop\w*)\.js)$/;
// Text only tfjs-core's own modules define.
// (esbuild renames `class Engine {` to `var Engine = class _Engine {`.)
const markers = [
  /\bclass _?Engine\b/,
  /\bclass _?Tensor\b/,
  /\bclass _?Environment\b/,
  /function registerGradient\(/,
  /function registerKernel\(/,
  /function getGlobalNamespace\(/,
];

describe('tfjs-core is never compiled into a built file', () => {
  for (const pkg of packages) {
    it(`@adatosk/${pkg}`, () => {
      const files = builtFiles(join(root, 'packages', pkg, 'dist'));
      expect(files.length, `packages/${pkg}/dist is empty (run npm run build)`).toBeGreaterThan(0);
      const found: string[] = [];
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        // esbuild heads every bundled module with a `// <path>` comment.
        for (const m of text.matchAll(/^\/\/ \S*@tensorflow\/tfjs-core\/dist\/(\S+)$/gm)) {
          if (!allowedModule.test(m[1])) found.push(`${file.slice(root.length + 1)}: tfjs-core module ${m[1]}`);
        }
        for (const marker of markers) if (marker.test(text)) found.push(`${file.slice(root.length + 1)}: ${marker}`);
      }
      expect(found).toEqual([]);
    });
  }
});

describe('built @adatosk/core registers every tfjs-core gradient', () => {
  const coreDir = join(root, 'packages', 'core');
  const req = createRequire(join(coreDir, 'package.json'));
  const tfDist = join(dirname(req.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
  const tf = req('@tensorflow/tfjs-core') as Record<string, unknown>;
  // Every kernel register_all_gradients.js registers a gradient for: `kernelName: <Constant>` in each config.
  const kernels = [...readFileSync(join(tfDist, 'register_all_gradients.js'), 'utf8').matchAll(/from '\.\/gradients\/(\w+)'/g)]
    .map((m) => /kernelName: (\w+),/.exec(readFileSync(join(tfDist, 'gradients', `${m[1]}.js`), 'utf8'))?.[1])
    .map((constant) => (constant ? (tf[constant] as string | undefined) : undefined));

  // Runs in a fresh Node from core's folder, so the installed tfjs-core and backend are the package's own.
  const check = (load: string) => `
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    (async () => {
      ${load}
      const names = ${JSON.stringify(kernels)};
      const missing = names.filter((k) => !tf.getGradient(k));
      await tf.setBackend('cpu');
      // One gradient step through ops the model uses (matmul, softmax, layer norm's moments, gelu's erf).
      const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 1));
      const x = tf.randomNormal([2, 4], 0, 1, 'float32', 2);
      const { grads } = tf.variableGrads(() => tf.sum(tf.erf(tf.softmax(tf.matMul(x, w)))));
      console.log(JSON.stringify({ names: names.length, missing, grad: Array.from(await grads[w.name].data()).length }));
    })().catch((e) => { console.error(e); process.exit(1); });`;

  it.each([
    ['ESM import', `await import(${JSON.stringify(join(coreDir, 'dist', 'index.js'))});`],
    ['CJS require', `require(${JSON.stringify(join(coreDir, 'dist', 'index.cjs'))});`],
  ])('under %s', (_, load) => {
    expect(kernels.length).toBeGreaterThan(90);
    expect(kernels.filter((k) => !k)).toEqual([]);
    const out = execFileSync(process.execPath, ['-e', check(load)], { cwd: coreDir, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result.missing).toEqual([]);
    expect(result.names).toBeGreaterThan(90);
    expect(result.grad).toBe(12);
  });
});
