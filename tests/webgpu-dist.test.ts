// Every kernel @adatosk/webgpu defines in its sources is in its built files too. The kernel files register
// themselves when imported (side effects): with a "sideEffects" list in package.json that missed them, the
// bundlers dropped them and a build ran TF.js's composites with no error (the package now says sideEffects: true).
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWebGPUKernels } from '@adatosk/webgpu';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

it('the built @adatosk/webgpu defines the same kernels as its sources, under import and require', () => {
  const fromSource = listWebGPUKernels().map((k) => k.kernelName);
  expect(fromSource).toContain('AdaToskLayerNorm');
  expect(fromSource).toContain('AdaToskAttention');
  const scripts = {
    import: "import('@adatosk/webgpu').then((w) => console.log(JSON.stringify(w.listWebGPUKernels().map((k) => k.kernelName))))",
    require: "console.log(JSON.stringify(require('@adatosk/webgpu').listWebGPUKernels().map((k) => k.kernelName)))",
  };
  for (const [how, script] of Object.entries(scripts)) {
    // A plain Node process: the built files, not the @adatosk/source condition vitest resolves.
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]'), how).toEqual(fromSource);
  }
}, 60_000);
