// Before/after timings for installFastMatMul (not a test: timings vary by machine).
// Run: node packages/backend-node/scripts/run-ts.mjs packages/backend-node/bench/fast-matmul.bench.ts [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import { installFastMatMul, uninstallFastMatMul } from '@adatosk/core/internal';
import '../src/register.js';

const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);
await tf.ready();

function time(label: string, fn: () => tf.Tensor | tf.Tensor[], reps: number): number {
  for (let i = 0; i < 2; i++) tf.dispose(fn());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = fn();
    (Array.isArray(out) ? out : [out]).forEach((t) => t.dataSync());
    tf.dispose(out);
  }
  const ms = (performance.now() - t0) / reps;
  return ms;
}

const reps = backend === 'wasm' ? 10 : 2;
const a = tf.randomNormal([512, 128], 0, 1, 'float32', 1);
const b = tf.randomNormal([128, 512], 0, 1, 'float32', 2);
const aT = tf.transpose(a);
const bT = tf.transpose(b);
const q = tf.randomNormal([2, 3, 128, 64], 0, 1, 'float32', 3);
const k = tf.randomNormal([2, 3, 128, 64], 0, 1, 'float32', 4);
const bias = tf.randomNormal([512], 0, 1, 'float32', 5);
const x = tf.randomNormal([256, 384], 0, 1, 'float32', 6);
const w = tf.randomNormal([384, 384], 0, 1, 'float32', 7);
const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
  ['matMul 512x128 @ 128x512 (plain)', () => tf.matMul(a, b)],
  ['matMul transposeA', () => tf.matMul(aT, b, true, false)],
  ['matMul transposeB', () => tf.matMul(a, bT, false, true)],
  ['explicit 2-D transpose 512x128', () => tf.transpose(a)],
  ['batched q @ k^T [2,3,128,64]', () => tf.matMul(q, k, false, true)],
  ['fused matMul+bias+relu transposeB', () => tf.fused.matMul({ a, b: bT, transposeB: true, bias, activation: 'relu' })],
  ['grad of sum(relu(x @ w)) 256x384x384', () => tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.relu(tf.matMul(xx, ww))))([x, w])],
];
const rows: Record<string, { before: string; after: string; speedup: string }> = {};
uninstallFastMatMul(backend); // register installed it for wasm: measure the plain kernels first
const before = cases.map(([name, fn]) => time(name, fn, reps));
installFastMatMul(backend);
const after = cases.map(([name, fn]) => time(name, fn, reps));
uninstallFastMatMul(backend);
cases.forEach(([name], i) => {
  rows[name] = {
    before: before[i].toFixed(2) + ' ms',
    after: after[i].toFixed(2) + ' ms',
    speedup: (before[i] / after[i]).toFixed(1) + 'x',
  };
});
console.log(`backend ${backend}, mean of ${reps} runs`);
console.table(rows);
