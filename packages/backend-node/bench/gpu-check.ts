// Hardware WebGPU check (run on a GPU machine from a self-contained bundle): device choice, the HF parity
// checks and fast-matmul timings on WebGPU with async reads. Not a test.
import * as tf from '@tensorflow/tfjs-core';
import { installFastMatMul, uninstallFastMatMul } from '@adatosk/core/internal';
import { loadFixturesFromDir, runParityChecks } from '@adatosk/core/testing';
import { listDevices, selectDevice } from '../src/index.js';

const fixtures = process.argv[2];
console.log(JSON.stringify(await listDevices(), null, 1));
const picked = await selectDevice('auto');
console.log('auto picked:', picked.device, '|', picked.reason);
console.log(JSON.stringify(picked.tried));
if (picked.device !== 'webgpu') process.exit(2);

const t0 = performance.now();
const results = await runParityChecks(await loadFixturesFromDir(fixtures));
const bad = results.filter((r) => !r.ok);
const worst = results.reduce((w, r) => (r.maxAbsErr > w.maxAbsErr ? r : w), results[0]);
console.log(
  `parity: ${results.length} checks, ${bad.length} failed at the default tolerance, worst ${worst.name} ${worst.maxAbsErr.toExponential(2)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
for (const r of bad.slice(0, 20)) console.log('  FAIL', r.variant, r.name, r.detail);
const loose = await runParityChecks(await loadFixturesFromDir(fixtures), { tolerance: { abs: 1e-3 } });
console.log(`parity at abs 1e-3: ${loose.filter((r) => !r.ok).length} failed`);

async function time(fn: () => tf.Tensor | tf.Tensor[], reps = 20): Promise<number> {
  for (let i = 0; i < 3; i++) {
    const o = fn();
    await Promise.all((Array.isArray(o) ? o : [o]).map((t) => t.data()));
    tf.dispose(o);
  }
  const s = performance.now();
  for (let i = 0; i < reps; i++) {
    const o = fn();
    await Promise.all((Array.isArray(o) ? o : [o]).map((t) => t.data()));
    tf.dispose(o);
  }
  return (performance.now() - s) / reps;
}
const a = tf.randomNormal([2048, 1024], 0, 1, 'float32', 1);
const b = tf.randomNormal([1024, 2048], 0, 1, 'float32', 2);
const aT = tf.transpose(a);
const bT = tf.transpose(b);
const x = tf.randomNormal([1024, 768], 0, 1, 'float32', 3);
const w = tf.randomNormal([768, 768], 0, 1, 'float32', 4);
const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
  ['2048x1024 @ 1024x2048 plain', () => tf.matMul(a, b)],
  ['transposeA', () => tf.matMul(aT, b, true, false)],
  ['transposeB', () => tf.matMul(a, bT, false, true)],
  ['grad sum(relu(x @ w)) 1024x768x768', () => tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.relu(tf.matMul(xx, ww))))([x, w])],
];
const before: number[] = [];
for (const [, fn] of cases) before.push(await time(fn));
installFastMatMul('webgpu');
const after: number[] = [];
for (const [, fn] of cases) after.push(await time(fn));
uninstallFastMatMul('webgpu');
cases.forEach(([name], i) =>
  console.log(`${name}: plain ${before[i].toFixed(2)} ms, fast ${after[i].toFixed(2)} ms (${(before[i] / after[i]).toFixed(2)}x)`),
);
process.exit(0);
