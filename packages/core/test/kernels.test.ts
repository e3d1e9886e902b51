// installFastMatMul on the real WASM backend: values and gradients match the unwrapped kernels,
// install/uninstall are idempotent, nothing leaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BatchMatMul, _FusedMatMul, getKernel } from '@tensorflow/tfjs-core';
import { installFastMatMul, isFastMatMulInstalled, uninstallFastMatMul } from '@adatosk/core/internal';

const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep);

// `grads: false`: tfjs-core's own BatchMatMul gradient rejects broadcast batch dims (both kernels alike).
type Case = { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean; grads?: boolean };
const cases: Case[] = [
  { name: '2-D transposeA', a: [7, 5], b: [7, 3], ta: true, tb: false },
  { name: '2-D transposeB', a: [5, 7], b: [3, 7], ta: false, tb: true },
  { name: '2-D both', a: [7, 5], b: [3, 7], ta: true, tb: true },
  { name: '3-D transposeB', a: [2, 5, 7], b: [2, 3, 7], ta: false, tb: true },
  { name: '4-D attention q@k^T', a: [2, 3, 6, 4], b: [2, 3, 6, 4], ta: false, tb: true },
  { name: '4-D transposeA', a: [2, 3, 4, 6], b: [2, 3, 4, 5], ta: true, tb: false },
  { name: 'vector-like (size-1 dims)', a: [1, 7], b: [3, 7], ta: false, tb: true },
  { name: 'column operand transposeA', a: [7, 1], b: [7, 4], ta: true, tb: false },
  { name: 'broadcast batch', a: [1, 5, 7], b: [3, 4, 7], ta: false, tb: true, grads: false },
  { name: 'unit dims mixed with a real transpose', a: [6, 1], b: [3, 6], ta: true, tb: true },
  { name: 'sequence: same operand as transposed b, then plain b', a: [4, 5], b: [5, 5], ta: false, tb: true },
  // Plain batched products: on wasm, split into one 2-D product per batch item (splitBatches).
  { name: '4-D plain batched', a: [2, 3, 5, 4], b: [2, 3, 4, 6], ta: false, tb: false },
  { name: 'plain batched, b broadcast', a: [3, 5, 4], b: [1, 4, 6], ta: false, tb: false, grads: false },
  { name: 'plain batched, a broadcast', a: [1, 5, 4], b: [3, 4, 6], ta: false, tb: false, grads: false },
];

function run(c: Case, seed: number) {
  return tf.tidy(() => {
    const a = tf.randomNormal(c.a, 0, 1, 'float32', seed);
    const b = tf.randomNormal(c.b, 0, 1, 'float32', seed + 1);
    const w = tf.randomNormal([...c.a.slice(0, -2).map(() => 1), 1, 1], 1, 0.1, 'float32', seed + 2);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.matMul(x, y, c.ta, c.tb)), w));
    const out = tf.matMul(a, b, c.ta, c.tb);
    // Reusing `b` untransposed after its transposed use catches stale per-operand caches in the backend.
    const again = c.a.length === 2 && c.b[0] === c.a[1] ? tf.matMul(a, b) : out;
    if (c.grads === false) return [out.arraySync(), again.arraySync(), []] as const;
    const [ga, gb] = tf.grads(f)([a, b]);
    return [out.arraySync(), ga.arraySync(), gb.arraySync(), again.arraySync()] as const;
  });
}

function fused(seed: number) {
  return tf.tidy(() => {
    const a = tf.randomNormal([2, 6, 5], 0, 1, 'float32', seed);
    const b = tf.randomNormal([2, 4, 5], 0, 1, 'float32', seed + 1);
    const bias = tf.randomNormal([4], 0, 1, 'float32', seed + 2);
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.fused.matMul({ a: x as tf.Tensor3D, b: y as tf.Tensor3D, transposeB: true, bias, activation: 'relu' }));
    const out = tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' });
    const [ga, gb] = tf.grads(f)([a, b]);
    return [out.arraySync(), ga.arraySync(), gb.arraySync()] as const;
  });
}

function close(actual: unknown, expected: unknown) {
  const x = (actual as number[]).flat(Infinity as 1) as number[];
  const y = (expected as number[]).flat(Infinity as 1) as number[];
  expect(x.length).toBe(y.length);
  const worst = Math.max(...x.map((v, i) => Math.abs(v - y[i]) / (1 + Math.abs(y[i]))));
  expect(worst).toBeLessThan(1e-5);
}

describe('installFastMatMul (wasm)', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(() => {
    uninstallFastMatMul('wasm');
  });

  it.each(cases)('$name: values and gradients equal the plain kernel', (c) => {
    uninstallFastMatMul('wasm');
    const plain = run(c, 11);
    const handle = installFastMatMul('wasm');
    expect(handle.kernels).toEqual([BatchMatMul, _FusedMatMul]);
    const fast = run(c, 11);
    expect(fast.length).toBe(plain.length);
    for (let i = 0; i < fast.length; i++) close(fast[i], plain[i]);
  });

  it('_FusedMatMul with bias + relu: values and gradients equal the plain kernel', () => {
    uninstallFastMatMul('wasm');
    const plain = fused(5);
    installFastMatMul('wasm');
    const fast = fused(5);
    for (let i = 0; i < 3; i++) close(fast[i], plain[i]);
  });

  it('is idempotent and uninstall restores the original kernels', () => {
    uninstallFastMatMul('wasm');
    const original = getKernel(BatchMatMul, 'wasm');
    installFastMatMul('wasm');
    const wrapped = getKernel(BatchMatMul, 'wasm');
    expect(wrapped).not.toBe(original);
    installFastMatMul('wasm');
    expect(getKernel(BatchMatMul, 'wasm')?.kernelFunc).toBe(wrapped?.kernelFunc);
    expect(isFastMatMulInstalled('wasm')).toBe(true);
    expect(uninstallFastMatMul('wasm')).toBe(true);
    expect(getKernel(BatchMatMul, 'wasm')?.kernelFunc).toBe(original?.kernelFunc);
    expect(isFastMatMulInstalled('wasm')).toBe(false);
    expect(uninstallFastMatMul('wasm')).toBe(false);
  });

  it('releases every intermediate (tensors and backend memory flat over steps)', () => {
    installFastMatMul('wasm');
    const step = () => run(cases[4], 3);
    step();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    const ids = tf.engine().backend.numDataIds();
    step();
    expect(tf.engine().backend.numDataIds()).toBe(ids);
  });

  it('names the backend and the fix when its kernels are not registered', () => {
    expect(() => installFastMatMul('no-such-backend')).toThrow(/no 'BatchMatMul' kernel.*Import the backend package/);
  });
});

describe('installFastMatMul is backend-agnostic (cpu)', () => {
  afterAll(() => {
    uninstallFastMatMul('cpu');
  });
  it('gives the same values and gradients as the plain cpu kernel', async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    uninstallFastMatMul('cpu');
    const plain = run(cases[4], 21);
    installFastMatMul('cpu');
    const fast = run(cases[4], 21);
    for (let i = 0; i < fast.length; i++) close(fast[i], plain[i]);
  });
});
