import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, maskIndex, resolveConfig, softmaxCrossEntropy } from '@adatosk/core';
import { gatherTokens, gelu, matMulPlain } from '../src/ops/index.js';
import { useBackend } from './helpers.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const small = resolveConfig('tiny', {
  numFrames: 4,
  imageSize: 32,
  patchSize: 8,
  hiddenSize: 32,
  numLayers: 3,
  numHeads: 2,
  intermediateSize: 64,
  decoderHiddenSize: 16,
  decoderNumHeads: 2,
  decoderIntermediateSize: 32,
  numClasses: 5,
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`model ops (${backend})`, () => {
    beforeAll(() => useBackend(backend));

    it('exact GELU and its gradient Phi(x) + x phi(x)', () => {
      const xs = [-4, -1.5, -0.3, 0, 0.2, 1, 2.5, 5];
      const x = tf.tensor1d(xs);
      const y = gelu(x).dataSync();
      const g = tf
        .grad((t: tf.Tensor) => tf.sum(gelu(t)))(x)
        .dataSync();
      const phi = (v: number) => Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI);
      // Phi from a high-precision erf series (float64).
      const Phi = (v: number) => {
        const z = v / Math.SQRT2;
        let sum = 0;
        let term = z;
        for (let n = 0; n < 80; n++) {
          sum += term / (2 * n + 1);
          term *= (-z * z) / (n + 1);
        }
        return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
      };
      xs.forEach((v, i) => {
        expect(Math.abs(y[i] - v * Phi(v))).toBeLessThan(2e-6);
        expect(Math.abs(g[i] - (Phi(v) + v * phi(v)))).toBeLessThan(2e-6);
      });
      x.dispose();
    });

    it('matMulPlain and gatherTokens give tf.matMul / tf.gather values and gradients', () => {
      const a = tf.randomNormal([2, 3, 5, 4], 0, 1, 'float32', 1);
      const b = tf.randomNormal([2, 3, 4, 6], 0, 1, 'float32', 2);
      const w = tf.randomNormal([2, 3, 5, 6], 0, 1, 'float32', 3);
      const ours = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(matMulPlain(p, q), w)))([a, b]);
      const ref = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q), w)))([a, b]);
      expect(maxDiff(ours[0], ref[0])).toBeLessThan(1e-5);
      expect(maxDiff(ours[1], ref[1])).toBeLessThan(1e-5);
      expect(maxDiff(matMulPlain(a, b), tf.matMul(a, b))).toBeLessThan(1e-5);

      const x = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 4);
      const idx = tf.tensor2d(
        [
          [5, 0, 5],
          [1, 2, 3],
        ],
        [2, 3],
        'int32',
      ); // a repeated row gets both gradients
      const wg = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 5);
      const gathered = gatherTokens(x, idx).arraySync() as number[][][];
      expect(gathered[0][0]).toEqual((x.arraySync() as number[][][])[0][5]);
      const gx = tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(gatherTokens(t, idx), wg)))(x)
        .arraySync() as number[][][];
      const wa = wg.arraySync() as number[][][];
      expect(gx[0][5][1]).toBeCloseTo(wa[0][0][1] + wa[0][2][1], 5);
      expect(gx[0][1]).toEqual([0, 0, 0]);
      expect(gx[1][3][2]).toBeCloseTo(wa[1][2][2], 5);
      tf.dispose([a, b, w, ...ours, ...ref, x, idx, wg]);
    });

    it('embeds only visible tokens, composes encoder ranges, and pools with weights', () => {
      const m = createModel(small, { seed: 2 });
      const clips = tf.randomNormal([2, 4, 32, 32, 3], 0, 1, 'float32', 7);
      const idx = tf.tensor2d(
        [
          [0, 3, 17, 31],
          [2, 3, 4, 30],
        ],
        [2, 4],
        'int32',
      );
      tf.tidy(() => {
        const all = m.embed(clips);
        expect(all.shape).toEqual([2, 32, 32]);
        expect(maxDiff(m.embed(clips, idx), m.gatherTokens(all, idx))).toBeLessThan(1e-6);
        const whole = m.encode(all);
        const split = m.encode(m.encode(all, { to: 1 }), { from: 1 });
        expect(maxDiff(whole, split)).toBeLessThan(1e-5);
        const ones = tf.ones([2, 32]) as tf.Tensor2D;
        expect(maxDiff(m.pool(whole, ones), m.pool(whole))).toBeLessThan(1e-6);
        expect(maxDiff(m.classifierHead(m.pool(whole)), m.classify(clips).logits)).toBeLessThan(1e-6);
        expect(maxDiff(m.classifierLogits(m.fcNorm(m.pool(whole)) as tf.Tensor2D), m.classify(clips).logits)).toBeLessThan(1e-6);
        expect(m.classifierWeight.shape).toEqual([32, 5]);
      });
      expect(() => m.encode(tf.zeros([1, 2, 32]) as tf.Tensor3D, { from: 2, to: 1 })).toThrow(
        /layer range \[2, 1\) is not within \[0, 3\]/,
      );
      expect(() => m.classify(tf.zeros([1, 4, 3, 32, 32]))).toThrow(/clips have 32 channels .*channels-last/);
      expect(() => m.classify(tf.zeros([1, 3, 32, 32, 3]))).toThrow(/3 frames, not a multiple of tubeletSize 2/);
      const uneven = [
        Array(32)
          .fill(0)
          .map((_, i) => (i < 8 ? 1 : 0)),
        Array(32)
          .fill(0)
          .map((_, i) => (i < 9 ? 1 : 0)),
      ];
      expect(() => m.reconstruct(clips, uneven)).toThrow(/clip 0 hides 8, clip 1 hides 9/);
      expect(() => m.reconstruct(clips, [Array(32).fill(2), Array(32).fill(0)])).toThrow(/must be 0\/1, got 2 at \[0, 0\]/);
      expect(() => m.reconstruct(clips, [Array(16).fill(0)])).toThrow(/16 tokens per clip, the clips have 32/);
      const { loss, predictions } = m.reconstruct(clips, [
        Array(32)
          .fill(0)
          .map((_, i) => i % 2),
        Array(32)
          .fill(0)
          .map((_, i) => 1 - (i % 2)),
      ]);
      expect(predictions.shape).toEqual([2, 16, 2 * 8 * 8 * 3]);
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      tf.dispose([loss, predictions, clips, idx]);
      m.dispose();
      expect(() => m.classify(clips)).toThrow(/disposed/);
    });

    it('recomputed blocks (gradient checkpointing) give the same loss and gradients, and leak nothing', async () => {
      const m = createModel(small, { seed: 2 });
      const clips = tf.randomNormal([2, 4, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor5D;
      const hidden = [0, 1].map((b) => Array.from({ length: 32 }, (_, i) => ((i + b) % 4 === 0 ? 0 : 1)));
      const run = (mode: boolean | 'auto') => {
        m.recomputeBlocks = mode;
        return tf.variableGrads(() => {
          const rec = m.reconstruct(clips, hidden);
          rec.predictions.dispose();
          return tf.add(softmaxCrossEntropy(m.classify(clips).logits, [1, 3]), rec.loss) as tf.Scalar;
        }, Object.values(m.trainableVariables));
      };
      const plain = run(false);
      const before = tf.memory().numTensors;
      const again = run(true);
      expect(tf.memory().numTensors).toBe(before + 1 + Object.keys(again.grads).length);
      expect(Math.abs(again.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(1e-6);
      expect(Object.keys(again.grads).sort()).toEqual(Object.keys(plain.grads).sort());
      for (const [k, g] of Object.entries(plain.grads)) {
        const scale = tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]);
        expect(maxDiff(g, again.grads[k]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
      }
      // 'auto' switches on over the memory budget: the backward pass then re-runs each block's forward
      // (one more Erf per block).
      const erfs = async (budget: number) => {
        m.recomputeBlocks = 'auto';
        m.recomputeBudgetBytes = budget;
        const info = await tf.profile(() => {
          const r = run('auto');
          tf.dispose([r.value, ...Object.values(r.grads)]);
        });
        return info.kernels.filter((k) => k.name === 'Erf').length;
      };
      const blocks = small.numLayers * 2 + small.decoderNumLayers; // reconstruct + classify passes
      expect(await erfs(Infinity)).toBe(blocks);
      expect(await erfs(0)).toBe(2 * blocks);
      tf.dispose([plain.value, again.value, ...Object.values(plain.grads), ...Object.values(again.grads), clips]);
      m.dispose();
    });

    it('seeds the init and supports the no-mean-pooling head (final LayerNorm, first token)', () => {
      const a = createModel(small, { seed: 9 });
      const b = createModel(small, { seed: 9 });
      const c = createModel(small, { seed: 10 });
      const w = 'videomae.encoder.layer.2.intermediate.dense.weight';
      expect(maxDiff(a.param(w), b.param(w))).toBe(0);
      expect(maxDiff(a.param(w), c.param(w))).toBeGreaterThan(0);
      const std = Math.sqrt(tf.moments(a.param(w)).variance.dataSync()[0]);
      expect(std).toBeGreaterThan(0.018);
      expect(std).toBeLessThan(0.022);
      for (const m of [a, b, c]) m.dispose();
      const cls = createModel({ ...small, useMeanPooling: false });
      expect('videomae.layernorm.weight' in cls.variables).toBe(true);
      expect('fc_norm.weight' in cls.variables).toBe(false);
      const clips = tf.randomNormal([1, 4, 32, 32, 3], 0, 1, 'float32', 1);
      const { logits } = cls.classify(clips);
      expect(logits.shape).toEqual([1, 5]);
      tf.dispose([clips, logits]);
      cls.dispose();
    });
  });
}

describe('training steps (wasm)', () => {
  beforeAll(() => useBackend('wasm'));

  it('20 forward+backward steps (classification + reconstruction) leak no tensors', () => {
    const m = createModel(small, { seed: 1 });
    const opt = tf.train.adam(1e-3);
    const clips = tf.randomNormal([2, 4, 32, 32, 3], 0, 1, 'float32', 3);
    const hidden = [0, 1].map(() => Array.from({ length: 32 }, (_, i) => (i % 16 < 12 ? 1 : 0)));
    const labels = [1, 4];
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const rec = m.reconstruct(clips, hidden);
        rec.predictions.dispose();
        const cls = softmaxCrossEntropy(m.classify(clips).logits, labels, { labelSmoothing: 0.1 });
        return tf.add(cls, rec.loss) as tf.Scalar;
      }, Object.values(m.trainableVariables));
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    const first = step(); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 1; i < 20; i++) {
      last = step();
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(last).toBeLessThan(first); // it learns
    tf.dispose(clips);
    opt.dispose();
    m.dispose();
  });

  it('maskIndex splits a mask into ascending visible / hidden ids', () => {
    const idx = maskIndex({ data: new Uint8Array([1, 0, 0, 1, 0, 1, 1, 0]), shape: [2, 4] });
    expect(idx.visible.arraySync()).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(idx.hidden.arraySync()).toEqual([
      [0, 3],
      [1, 2],
    ]);
    idx.dispose();
    expect(() => maskIndex([[1, 1]])).toThrow(/hides every token/);
    // A tensor would need a synchronous read (none on WebGPU in Node): the error says how to pass it.
    const t = tf.tensor2d([[1, 0]]);
    expect(() => maskIndex(t as never)).toThrow(/await mask\.data\(\)/);
    t.dispose();
  });

  it('builds the pixel target as HF does for RGB, non-RGB, with and without norm_pix_loss', () => {
    const clips = tf.randomNormal([1, 4, 32, 32, 3], 0, 1, 'float32', 8);
    const hidden = [Array.from({ length: 32 }, (_, i) => (i % 3 === 0 ? 1 : 0))];
    const idx = maskIndex(hidden);
    const raw = createModel({ ...small, normPixLoss: false });
    tf.tidy(() => {
      const target = raw.reconstructionTarget(clips, idx) as tf.Tensor3D;
      const rgb = tf.add(tf.mul(clips, tf.tensor1d([0.229, 0.224, 0.225])), tf.tensor1d([0.485, 0.456, 0.406]));
      // token 3 = slot 0, row 0, col 3; value (dt=1, y=2, x=5, c=1)
      const want = (rgb.arraySync() as number[][][][][])[0][1][2][3 * 8 + 5][1];
      const got = (target.arraySync() as number[][][])[0][1][((1 * 8 + 2) * 8 + 5) * 3 + 1];
      expect(got).toBeCloseTo(want, 5);
    });
    raw.dispose();
    const gray = createModel({ ...small, numChannels: 1 });
    const grayClips = tf.randomNormal([1, 4, 32, 32, 1], 0, 1, 'float32', 9);
    const r = gray.reconstruct(grayClips, hidden);
    expect(r.predictions.shape).toEqual([1, 11, 2 * 8 * 8]);
    tf.dispose([r.loss, r.predictions]);
    gray.dispose();
    const grayRaw = createModel({ ...small, numChannels: 1, normPixLoss: false });
    expect(() => grayRaw.reconstruct(grayClips, hidden)).toThrow(/cannot un-normalise 1-channel clips.*normPixLoss/);
    grayRaw.dispose();
    tf.dispose([clips, grayClips]);
    idx.dispose();
  });

  it('label smoothing matches the PyTorch formula', () => {
    const logits = tf.tensor2d([
      [1, 2, 0.5],
      [0, -1, 3],
    ]);
    const loss = softmaxCrossEntropy(logits, [1, 2], { labelSmoothing: 0.2 }).dataSync()[0];
    const lsm = (r: number[]) => r.map((v) => v - Math.log(r.reduce((a, x) => a + Math.exp(x), 0)));
    const rows = [lsm([1, 2, 0.5]), lsm([0, -1, 3])];
    const want = [
      [rows[0], 1],
      [rows[1], 2],
    ].map(([r, y]) => {
      const lp = r as number[];
      return -(0.8 * lp[y as number] + (0.2 / 3) * lp.reduce((a, b) => a + b, 0));
    });
    expect(loss).toBeCloseTo((want[0] + want[1]) / 2, 5);
    logits.dispose();
  });
});
