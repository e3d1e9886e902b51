// linear and matMulPlain: on CPU and WASM exactly today's computation (explicit transposes, separate bias
// add); on a backend whose matmul kernels carry the transpose-free mark (as @adatosk/webgpu's do), the bias
// in tf.fused.matMul's epilogue and gradients as transposeA/transposeB products, with no Transpose kernel.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps } from '@adatosk/core';
import { linear, matMulPlain, usesTransposedMatMul } from '@adatosk/core/internal';
import { useBackend } from './helpers.js';

const MARK = Symbol.for('@adatosk/core/transpose-free-matmul');
const MATMULS = [tf.BatchMatMul, tf._FusedMatMul];

/** Puts the transpose-free mark on the backend's own matmul kernels (wrapped, so values are unchanged). */
function markKernels(backendName: string): () => void {
  const originals = MATMULS.map((k) => tf.getKernel(k, backendName)!);
  for (const config of originals) {
    const kernelFunc: tf.KernelFunc = (args) => config.kernelFunc(args);
    Object.defineProperty(kernelFunc, MARK, { value: true });
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc });
  }
  return () => {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  };
}

const seq = (shape: number[], seed: number) => tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed));

/** The pre-change linear: matMul + explicit-transpose gradients + a separate bias add. */
function reference(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, g: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1, w.shape[0]]);
    const gf = tf.reshape(g, [-1, w.shape[1]!]);
    const y = tf.reshape(tf.add(tf.matMul(flat, w), b), g.shape);
    const dx = tf.reshape(tf.matMul(gf, tf.transpose(w)), x.shape);
    const dw = tf.matMul(tf.transpose(flat), gf);
    return [y, dx, dw, tf.sum(gf, 0)];
  });
}

function run(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, g: tf.Tensor): tf.Tensor[] {
  const y = linear(x, w, b);
  const grads = tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(xs, ws, bs), g)))([x, w, b]);
  return [y, ...grads];
}

async function kernelNames(f: () => tf.TensorContainer): Promise<string[]> {
  return (await tf.profile(() => f())).kernelNames;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`linear and matMulPlain on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    let restore: (() => void) | undefined;
    afterEach(() => {
      restore?.();
      restore = undefined;
    });

    it('unmarked kernels: bit-identical to the explicit-transpose computation, with Transpose kernels', async () => {
      expect(usesTransposedMatMul()).toBe(false);
      const [x, w, b, g] = [seq([2, 5, 6], 1), seq([6, 7], 2), seq([7], 3), seq([2, 5, 7], 4)];
      const got = run(x, w, b, g);
      const want = reference(x, w, b, g);
      for (let i = 0; i < want.length; i++) expect(Array.from(await got[i].data())).toEqual(Array.from(await want[i].data()));
      const names = await kernelNames(() => tf.grads((ws: tf.Tensor) => tf.sum(tf.mul(linear(x, ws, b), g)))([w]));
      expect(names).toContain('Transpose');
      expect(names).not.toContain('_FusedMatMul');
      tf.dispose([x, w, b, g, ...got, ...want]);
    });

    it('marked kernels: fused bias, transposed-product gradients, no Transpose; same values to float32 rounding', async () => {
      const [x, w, b, g] = [seq([2, 5, 6], 1), seq([6, 7], 2), seq([7], 3), seq([2, 5, 7], 4)];
      const want = run(x, w, b, g);
      restore = markKernels(backend);
      expect(usesTransposedMatMul()).toBe(true);
      const got = run(x, w, b, g);
      for (let i = 0; i < want.length; i++) {
        expect(got[i].shape).toEqual(want[i].shape);
        const [gv, wv] = [await got[i].data(), await want[i].data()];
        gv.forEach((v, j) => expect(Math.abs(v - wv[j])).toBeLessThan(1e-5));
      }
      const names = await kernelNames(() =>
        tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(xs, ws, bs), g)))([x, w, b]),
      );
      expect(names).toContain('_FusedMatMul');
      expect(names).not.toContain('Transpose');
      // inputGrad: false: the forward product and dW only.
      const weightOnly = await kernelNames(() =>
        tf.grads((ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(linear(x, ws, bs, { inputGrad: false }), g)))([w, b]),
      );
      expect(weightOnly.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul')).toHaveLength(2);
      // matMulPlain: tf.matMul's own gradient (transposed products).
      const [q, k, dy] = [seq([2, 3, 4, 5], 5), seq([2, 3, 5, 6], 6), seq([2, 3, 4, 6], 7)];
      const plain = await kernelNames(() => tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(matMulPlain(a, c), dy)))([q, k]));
      expect(plain).not.toContain('Transpose');
      // setFusedOps(false, ['_FusedMatMul']) goes back to the explicit path.
      setFusedOps(false, ['_FusedMatMul']);
      expect(usesTransposedMatMul()).toBe(false);
      setFusedOps(true);
      tf.dispose([x, w, b, g, q, k, dy, ...want, ...got]);
    });

    it('no tensor leaks on either path', async () => {
      const [x, w, b, g] = [seq([3, 6], 1), seq([6, 4], 2), seq([4], 3), seq([3, 4], 4)];
      for (const marked of [false, true]) {
        if (marked) restore = markKernels(backend);
        tf.dispose(run(x, w, b, g));
        const before = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) tf.dispose(run(x, w, b, g));
        expect(tf.memory().numTensors).toBe(before);
      }
      tf.dispose([x, w, b, g]);
    });
  });
}
