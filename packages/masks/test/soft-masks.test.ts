import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSoftMask, type SoftMaskContext } from '@adatosk/core';
import { classAgnosticDynamicMask, classSemanticSimilarMask, combinedMask } from '@adatosk/masks';
import { useCpu } from './backend.js';
import { array2d, contextOf, randomCase, refNorm, type Case } from './helpers.js';
import { refSoftMasks } from './reference.js';

beforeAll(useCpu);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function expectClose(actual: number[], expected: number[], tol = 2e-5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, i) => expect(Math.abs(x - expected[i]), `index ${i}: ${x} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe('soft masks on a hand-worked clip', () => {
  // 3 slots x 2 positions (1x2 grid), D = 2, identity fc_norm, label 0 with W_0 = (1, 0.5).
  //   slot 0: n0 (1,0)  n1 (0,1)
  //   slot 1: n0 (1,0)  n1 (1,0)     n0 still, n1 changes
  //   slot 2: n0 (0,1)  n1 (1,0)     n0 changes, n1 still
  // d (slot 0 uses the successor) = [0, 1, 0, 1, 1, 0]: mean 0.5, std 0.5, dn = +-0.5/(0.5 + 1e-6).
  // a = W_0.z = [1, .5, 1, 1, .5, 1] -> min-max [1, 0, 1, 1, 0, 1]
  // s = [0, 0, 1, 0, 0, 1] (cos 1 -> 1, cos 0 -> 0, first slot 0)
  // r = [0, 0, 1*(0+1), 0, 0, 1*(0+a(1,1)=1)] = [0, 0, 1, 0, 0, 1]
  // m_cs = a / (1 + r) = [1, 0, .5, 1, 0, .5], max 1.
  const hi = sigmoid(0.5 / (0.5 + 1e-6));
  const lo = sigmoid(-0.5 / (0.5 + 1e-6));
  const expectedCa = [lo, hi, lo, hi, hi, lo];
  const expectedCs = [1, 0, 0.5, 1, 0, 0.5];
  const context = (): SoftMaskContext => ({
    features: tf.tensor3d([
      [
        [1, 0],
        [0, 1],
        [1, 0],
        [1, 0],
        [0, 1],
        [1, 0],
      ],
    ]),
    tokenIndices: Int32Array.from([0, 1, 2, 3, 4, 5]),
    grid: { frames: 3, height: 1, width: 2 },
    classifier: {
      weight: tf.tensor2d([
        [1, 0],
        [0.5, 1],
      ]),
      fcNorm: (x) => x,
    },
    labels: tf.tensor1d([0], 'int32'),
  });

  it('class-agnostic-dynamic', () => {
    expectClose(array2d(createSoftMask('class-agnostic-dynamic').compute(context()))[0], expectedCa);
    // gammaCa = 0.5 doubles the logit
    const sharp = array2d(createSoftMask('class-agnostic-dynamic', { gammaCa: 0.5 }).compute(context()))[0];
    expectClose(
      sharp,
      [0, 1, 0, 1, 1, 0].map((x) => sigmoid((x ? 0.5 : -0.5) / (0.5 + 1e-6) / 0.5)),
    );
  });

  it('class-semantic-similar', () => {
    expectClose(array2d(createSoftMask('class-semantic-similar').compute(context()))[0], expectedCs, 1e-6 + 1e-7);
  });

  it('combined: geometric (default), product and mean', () => {
    const geometric = expectedCa.map((ca, i) => Math.sqrt(ca * expectedCs[i]));
    expectClose(array2d(createSoftMask('combined').compute(context()))[0], geometric);
    const beta = 0.3;
    expectClose(
      array2d(createSoftMask('combined', { beta }).compute(context()))[0],
      expectedCa.map((ca, i) => ca ** beta * expectedCs[i] ** (1 - beta)),
    );
    expectClose(
      array2d(createSoftMask('combined', { combiner: 'product' }).compute(context()))[0],
      expectedCa.map((ca, i) => ca * expectedCs[i]),
    );
    expectClose(
      array2d(createSoftMask('combined', { combiner: 'mean', beta }).compute(context()))[0],
      expectedCa.map((ca, i) => beta * ca + (1 - beta) * expectedCs[i]),
    );
    const { mask, parts } = createSoftMask('combined').explain!(context());
    expectClose(array2d(parts.ca)[0], expectedCa);
    expectClose(array2d(parts.cs)[0], expectedCs);
    expectClose(array2d(mask)[0], geometric);
  });

  it('uses the predicted class when no label is given', () => {
    // fc_norm(mean z) = (2/3, 1/2); W = [[1, 0], [0.5, 1]] -> logits (0.917, 0.5) -> class 0, same as above
    const ctx = { ...context(), labels: undefined };
    expectClose(array2d(createSoftMask('class-semantic-similar').compute(ctx))[0], expectedCs, 1e-6);
    // logits, when given, decide the class: class 1 has W_1 = (0, 1) -> a = z[1] = [0,1,0,0,1,0]
    const forced = { ...ctx, logits: tf.tensor2d([[0, 5]]) };
    // s = [0,0,1,0,0,1]; r = [0,0,1*(0+0),0,0,1*(0+a(1,1)=0)] = 0 -> m_cs = a
    expectClose(array2d(createSoftMask('class-semantic-similar').compute(forced))[0], [0, 1, 0, 0, 1, 0], 1e-6);
  });
});

function check(c: Case) {
  const ctx = contextOf(c);
  const strategies = { ca: classAgnosticDynamicMask(), cs: classSemanticSimilarMask(), m: combinedMask() };
  const got = Object.fromEntries(Object.entries(strategies).map(([k, s]) => [k, array2d(s.compute(ctx))])) as Record<
    'ca' | 'cs' | 'm',
    number[][]
  >;
  c.z.forEach((z, b) => {
    const ref = refSoftMasks({
      z,
      tokens: c.tokens[b],
      grid: c.grid,
      weight: c.weight,
      bias: c.bias,
      fcNorm: refNorm(c),
      label: c.labels?.[b],
    });
    expectClose(got.ca[b], ref.ca, 1e-4);
    expectClose(got.cs[b], ref.cs, 1e-4);
    expectClose(got.m[b], ref.m, 1e-4);
  });
}

describe('soft masks against the loop reference', () => {
  it('tube-masked clips (4 slots x 3x3), with labels and without', () => {
    const grid = { frames: 4, height: 3, width: 3 };
    const kept = [0, 2, 4, 7];
    const tokens = [0, 1, 2, 3].flatMap((tau) => kept.map((n) => tau * 9 + n));
    check(randomCase(11, grid, [tokens, tokens, tokens], 6, 4, [1, 3, 0]));
    check(randomCase(12, grid, [tokens, tokens], 6, 4));
  });

  it('random-masked clips: nearest earlier predecessor, successor fallback, lone tokens', () => {
    // grid 3 slots x 2x2 (N = 4); clip 0: pos 0 at slots 0 and 2 (gap), pos 1 only at slot 1 (lone),
    // pos 2 at slot 1 and 2, pos 3 at slot 2 only (lone, last slot).
    const grid = { frames: 3, height: 2, width: 2 };
    const clip0 = [0, 5, 6, 8, 10, 11];
    const clip1 = [1, 2, 3, 4, 7, 9];
    const c = randomCase(21, grid, [clip0, clip1], 5, 3, [2, 0]);
    check(c);
    const ref = refSoftMasks({ z: c.z[0], tokens: clip0, grid, weight: c.weight, fcNorm: refNorm(c), label: 2 });
    expect(ref.predecessor).toEqual([-1, -1, -1, 0, 2, -1]);
    expect(ref.d[1]).toBe(0); // lone token: no predecessor or successor
    expect(ref.d[0]).toBeGreaterThan(0); // slot-0 token compares with its successor at slot 2
    check({ ...c, labels: undefined });
  });

  it('a single temporal slot gives d = 0 and s = 0: m_ca = 0.5, m_cs = a', () => {
    const grid = { frames: 1, height: 2, width: 3 };
    const c = randomCase(31, grid, [[0, 1, 2, 3, 4, 5]], 4, 3, [1]);
    check(c);
    const ca = array2d(classAgnosticDynamicMask().compute(contextOf(c)))[0];
    expectClose(ca, new Array(6).fill(0.5), 1e-7);
  });

  it('constant features: min-max and max normalisations of constant scores give 1', () => {
    const grid = { frames: 1, height: 1, width: 3 };
    const c = randomCase(41, grid, [[0, 1, 2]], 4, 2, [0]);
    c.z = [
      [
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ],
    ];
    expectClose(array2d(classSemanticSimilarMask().compute(contextOf(c)))[0], [1, 1, 1], 0);
    check(c);
  });
});

describe('soft mask behaviour', () => {
  it('the dynamic mask ranks the tokens of the one changing slot first', () => {
    const grid = { frames: 4, height: 2, width: 3 }; // N = 6
    const base = randomCase(51, grid, [Array.from({ length: 24 }, (_, i) => i)], 8);
    // slots 0, 1 are still; slot 2 changes; slot 3 equals slot 2 (still again)
    const still = base.z[0].slice(0, 6);
    const moved = base.z[0].slice(12, 18);
    base.z = [[...still, ...still, ...moved, ...moved]];
    const ca = array2d(classAgnosticDynamicMask().compute(contextOf(base)))[0];
    const order = ca
      .map((x, i) => [x, i])
      .sort((p, q) => q[0] - p[0])
      .map(([, i]) => i);
    expect(order.slice(0, 6).sort((p, q) => p - q)).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it('the similar mask scores repeated slots below their first occurrence', () => {
    const grid = { frames: 4, height: 2, width: 2 }; // N = 4
    const c = randomCase(61, grid, [Array.from({ length: 16 }, (_, i) => i)], 8, 3, [1]);
    const A = c.z[0].slice(0, 4);
    const B = c.z[0].slice(8, 12);
    c.z = [[...A, ...A, ...B, ...B]];
    const cs = array2d(classSemanticSimilarMask().compute(contextOf(c)))[0];
    const ref = refSoftMasks({ z: c.z[0], tokens: c.tokens[0], grid, weight: c.weight, fcNorm: refNorm(c), label: 1 });
    let strict = 0;
    for (const first of [0, 8]) {
      for (let n = 0; n < 4; n++) {
        const repeat = first + 4 + n;
        expect(cs[repeat]).toBeLessThanOrEqual(cs[first + n] + 1e-7);
        if (ref.a[first + n] > 0) {
          expect(cs[repeat]).toBeLessThan(cs[first + n]);
          strict++;
        }
      }
    }
    expect(strict).toBeGreaterThanOrEqual(6);
  });

  it('detachMask (default) cuts the gradient; detachMask: false lets it through', () => {
    const grid = { frames: 3, height: 2, width: 2 };
    const tokens = Array.from({ length: 12 }, (_, i) => i);
    const c = randomCase(71, grid, [tokens, tokens], 5, 3, [0, 2]);
    const x = tf.tensor3d(c.z);
    for (const name of ['class-agnostic-dynamic', 'class-semantic-similar', 'combined'] as const) {
      for (const detachMask of [true, false]) {
        const strategy = createSoftMask(name, { detachMask });
        // weight the scores unevenly so the gradient of a normalised score is not zero by symmetry
        const weights = tf.reshape(tf.linspace(1, 3, 24), [2, 12]);
        const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(strategy.compute(contextOf(c, f as tf.Tensor3D)), weights)))(x);
        const size = tf.max(tf.abs(g)).dataSync()[0];
        expect(Number.isFinite(size), `${name} ${detachMask}`).toBe(true);
        if (detachMask) expect(size, name).toBe(0);
        else expect(size, name).toBeGreaterThan(1e-4);
      }
    }
  });

  it('does not leak tensors', () => {
    const grid = { frames: 3, height: 2, width: 2 };
    const tokens = Array.from({ length: 12 }, (_, i) => i);
    const c = randomCase(81, grid, [tokens], 5, 3, [0]);
    const ctx = contextOf(c);
    const strategy = combinedMask();
    tf.dispose(strategy.compute(ctx));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.dispose(strategy.compute(ctx));
      const { mask, parts } = strategy.explain!(ctx);
      tf.dispose([mask, ...Object.values(parts)]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
