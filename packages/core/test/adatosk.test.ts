import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adaToskFromSafetensors,
  createAdaTosk,
  createRng,
  createSoftMask,
  resolveConfig,
  type AdaToskModel,
  type VideoMAEConfig,
} from '@adatosk/core';
import '@adatosk/masks';
// The user plugin of docs/plugins.md, written outside the packages.
import { pixelMotionMask } from '../../../docs/examples/my-mask-plugin/index.js';

// Smaller than `tiny` in depth so the gradient tests stay fast: 8x32x32 clips, patch 8 -> 4 slots x 16.
const config: VideoMAEConfig = resolveConfig('tiny', {
  imageSize: 32,
  patchSize: 8,
  numLayers: 2,
  hiddenSize: 48,
  numHeads: 4,
  intermediateSize: 96,
  decoderHiddenSize: 32,
  decoderNumHeads: 4,
  decoderIntermediateSize: 64,
});

function batch(seed: number, b = 2) {
  const rng = createRng(seed);
  const n = b * config.numFrames * config.imageSize * config.imageSize * 3;
  const clips = tf.tensor5d(
    Float32Array.from({ length: n }, () => rng.normal()),
    [b, config.numFrames, config.imageSize, config.imageSize, 3],
  );
  const labels = tf.tensor1d(
    Array.from({ length: b }, (_, i) => (i * 3 + seed) % config.numClasses),
    'int32',
  );
  return { clips, labels };
}

const ENCODER_WEIGHT = 'videomae.encoder.layer.0.attention.attention.query.weight';

function gradNorms(model: AdaToskModel, f: () => tf.Scalar): Record<string, number> {
  const { value, grads } = tf.variableGrads(f, Object.values(model.trainableVariables));
  const out: Record<string, number> = {};
  for (const [name, g] of Object.entries(grads)) {
    out[model.backbone.hfName(name) ?? name] = tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]);
  }
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.ready();
});

describe('AdaTosk model', () => {
  let model: AdaToskModel;
  beforeAll(() => {
    model = createAdaTosk(config, { initSeed: 1 });
  });
  afterAll(() => model.dispose());

  it('has the documented defaults and exposes variables, layers and strategies', () => {
    expect(model.options).toMatchObject({
      objective: 'joint',
      rhoH: 0.5,
      rhoS: 0.5,
      selectAtLayer: 2,
      rhoHInfer: 0.5,
      lambda: 1,
      labelSmoothing: 0.1,
      detachMask: true,
      semanticTarget: 'label',
    });
    expect(model.numLayers).toBe(2);
    expect(model.hardMask.name).toBe('hard-random');
    expect(model.softMask.name).toBe('combined');
    expect(model.trainableVariables[ENCODER_WEIGHT]).toBeInstanceOf(tf.Variable);
    const pretrain = createAdaTosk(config, { objective: 'pretrain' });
    expect(pretrain.options.rhoH).toBe(0.9);
    pretrain.dispose();
  });

  it('computeLoss: L = L_cls + lambda * L_rec, finite, reproducible by rng', () => {
    const { clips, labels } = batch(1);
    const a = model.computeLoss({ clips, labels }, { rng: createRng(3), step: 0 });
    const [loss, cls, rec] = [a.loss, a.logs.cls, a.logs.rec].map((t) => t.dataSync()[0]);
    expect(Number.isFinite(loss) && cls > 0 && rec > 0).toBe(true);
    expect(loss).toBeCloseTo(cls + rec, 5);
    const b = model.computeLoss({ clips, labels }, { rng: createRng(3), step: 0 });
    expect(b.loss.dataSync()[0]).toBe(loss);
    const c = model.computeLoss({ clips, labels }, { rng: createRng(4), step: 0 });
    expect(c.logs.rec.dataSync()[0]).not.toBe(rec);
    const heavy = createAdaTosk(config, { initSeed: 1, lambda: 2.5 });
    const h = heavy.computeLoss({ clips, labels }, { rng: createRng(3), step: 0 });
    expect(h.loss.dataSync()[0]).toBeCloseTo(cls + 2.5 * rec, 4);
    heavy.dispose();
    tf.dispose([
      clips,
      labels,
      a.loss,
      a.logs.cls,
      a.logs.rec,
      b.loss,
      b.logs.cls,
      b.logs.rec,
      c.loss,
      c.logs.cls,
      c.logs.rec,
      h.loss,
      h.logs.cls,
      h.logs.rec,
    ]);
  });

  it("semanticTarget: 'label' hands the soft mask the labels while training; 'prediction' hands it none", () => {
    const { clips, labels } = batch(7);
    const seen: (number[] | undefined)[] = [];
    const spy = {
      kind: 'soft' as const,
      name: 'spy',
      compute: (ctx: { features: tf.Tensor3D; labels?: tf.Tensor1D }) => {
        seen.push(ctx.labels ? Array.from(ctx.labels.dataSync()) : undefined);
        return tf.onesLike(tf.sum(ctx.features, -1)) as tf.Tensor2D;
      },
    };
    for (const semanticTarget of ['label', 'prediction'] as const) {
      const m = createAdaTosk(config, { initSeed: 1, softMask: spy, semanticTarget });
      const out = m.computeLoss({ clips, labels }, { rng: createRng(3) });
      tf.dispose([out.loss, out.logs.cls, out.logs.rec]);
      m.dispose();
    }
    expect(seen).toEqual([Array.from(labels.dataSync()), undefined]);
    expect(() => createAdaTosk(config, { semanticTarget: 'truth' as never })).toThrow(/semanticTarget/);
    tf.dispose([clips, labels]);
  });

  it('gradients reach the encoder from L_cls alone and from L_rec alone', () => {
    const { clips, labels } = batch(2);
    const clsOnly = createAdaTosk(config, { initSeed: 1, objective: 'classify' });
    const recOnly = createAdaTosk(config, { initSeed: 1, objective: 'pretrain' });
    const gCls = gradNorms(clsOnly, () => clsOnly.computeLoss({ clips, labels }, { rng: createRng(1) }).loss);
    const gRec = gradNorms(recOnly, () => recOnly.computeLoss({ clips, labels }, { rng: createRng(1) }).loss);
    // Every encoder parameter gets a gradient from each loss alone (except the key bias, which
    // softmax ignores). L_rec's are small at init: they pass the decoder's 0.02-scale weights twice.
    for (const g of [gCls, gRec]) {
      const encoder = Object.keys(g).filter((k) => k.startsWith('videomae.') && !k.endsWith('key.bias'));
      expect(encoder.length).toBeGreaterThan(20);
      for (const k of encoder) expect(g[k], k).toBeGreaterThan(0);
    }
    expect(gCls['videomae.encoder.layer.0.attention.attention.value.weight']).toBeGreaterThan(1e-4);
    expect(gRec['videomae.encoder.layer.0.attention.attention.value.weight']).toBeGreaterThan(1e-9);
    expect(gCls['classifier.weight']).toBeGreaterThan(0);
    expect(gCls['decoder.head.weight'] ?? 0).toBe(0); // no decoder in the classification loss
    expect(gRec['classifier.weight'] ?? 0).toBe(0);
    expect(gRec['decoder.head.weight']).toBeGreaterThan(0);
    clsOnly.dispose();
    recOnly.dispose();
    tf.dispose([clips, labels]);
  });

  it('with detachMask the soft mask carries no gradient; without it, it does', () => {
    const { clips, labels } = batch(3);
    const weights = tf.tensor2d(
      Array.from({ length: 2 * 32 }, (_, i) => 1 + (i % 7)),
      [2, 32],
    );
    const maskGrads = (m: AdaToskModel) =>
      gradNorms(m, () => {
        const { scores } = m.scoreTokens(clips, { labels, rng: createRng(5) });
        return tf.sum(tf.mul(scores, weights)) as tf.Scalar;
      });
    const detached = maskGrads(model);
    expect(Math.max(...Object.values(detached))).toBe(0);
    const attached = createAdaTosk(config, { initSeed: 1, detachMask: false });
    expect(attached.softMask.name).toBe('combined');
    const live = maskGrads(attached);
    expect(live[ENCODER_WEIGHT]).toBeGreaterThan(1e-7);
    // and a full training step differentiates through the mask without NaN on wasm
    const step = gradNorms(attached, () => attached.computeLoss({ clips, labels }, { rng: createRng(5) }).loss);
    expect(Object.values(step).every(Number.isFinite)).toBe(true);
    attached.dispose();
    tf.dispose([clips, labels, weights]);
  });

  it('selectAtLayer: the mask is computed mid-encoder and only kept tokens run the rest', () => {
    const { clips, labels } = batch(4);
    const early = createAdaTosk(config, { initSeed: 1, selectAtLayer: 1 });
    const out = early.computeLoss({ clips, labels }, { rng: createRng(2) });
    expect(Number.isFinite(out.loss.dataSync()[0])).toBe(true);
    const g = gradNorms(early, () => early.computeLoss({ clips, labels }, { rng: createRng(2) }).loss);
    expect(g['videomae.encoder.layer.1.output.dense.weight']).toBeGreaterThan(0);
    const { logits, probs } = early.predict(clips);
    expect(logits.shape).toEqual([2, config.numClasses]);
    tf.dispose([clips, labels, out.loss, out.logs.cls, out.logs.rec, logits, probs]);
    early.dispose();
    expect(() => createAdaTosk(config, { selectAtLayer: 3 })).toThrow(/selectAtLayer 3 is past the last encoder layer \(0\.\.2\)/);
    expect(() => createAdaTosk(config, { rhoS: 0 })).toThrow(/rhoS must be > 0/);
    // soft mask options are typed per name, and checked at run time too
    // @ts-expect-error beta is a number
    expect(() => createAdaTosk(config, { softMask: { name: 'combined', options: { beta: 'high' } } })).toThrow(
      /Invalid options for mask 'combined'/,
    );
    expect(() => createAdaTosk(config, { softMask: { name: 'hard-random' } })).toThrow(/'hard-random' is a hard mask, but a soft/);
  });

  it('predict is deterministic, needs no decoder and gives probabilities', () => {
    const { clips, labels } = batch(5);
    const a = model.predict(clips);
    const b = model.predict(clips);
    expect(a.logits.shape).toEqual([2, config.numClasses]);
    expect(Array.from(a.logits.dataSync())).toEqual(Array.from(b.logits.dataSync()));
    const sums = tf.sum(a.probs, 1).dataSync();
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    const logits = model.predictLogits(clips);
    expect(Array.from(logits.dataSync())).toEqual(Array.from(a.logits.dataSync()));
    tf.dispose([clips, labels, a.logits, a.probs, b.logits, b.probs, logits]);
  });

  it('softMasks reports CA, CS and final masks with visible and kept tokens as plain arrays', async () => {
    const { clips, labels } = batch(6);
    const report = await model.softMasks(clips);
    expect(report.grid).toEqual({ frames: 4, height: 4, width: 4 });
    // inference mask: rhoHInfer 0.5 of 16 positions per slot -> 8 x 4 = 32 visible; keep 16
    expect(report.visible.map((r) => r.length)).toEqual([32, 32]);
    expect(report.kept.map((r) => r.length)).toEqual([16, 16]);
    for (const key of ['final', 'ca', 'cs'] as const) {
      const rows = report[key]!;
      expect(rows.length).toBe(2);
      for (const row of rows) for (const x of row) expect(x >= 0 && x <= 1).toBe(true);
    }
    for (let b = 0; b < 2; b++) {
      const visible = new Set(report.visible[b]);
      expect(report.kept[b].every((t) => visible.has(t))).toBe(true);
      // the kept tokens are the top half by final score
      const threshold = [...report.final[b]].sort((x, y) => y - x)[15];
      report.kept[b].forEach((t) => expect(report.final[b][report.visible[b].indexOf(t)]).toBeGreaterThanOrEqual(threshold));
      expect(report.final[b].map((m, i) => Math.abs(m - Math.sqrt(report.ca![b][i] * report.cs![b][i]))).every((e) => e < 1e-5)).toBe(true);
    }
    tf.dispose([clips, labels]);
  });

  it('round-trips through a checkpoint: the reloaded model predicts the same logits', async () => {
    const { clips, labels } = batch(9);
    const saved = await model.toSafetensors();
    const reloaded = await adaToskFromSafetensors(saved.config, saved.safetensors, { rhoS: 0.5 });
    const a = model.predictLogits(clips);
    const b = reloaded.predictLogits(clips);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([clips, labels, a, b]);
    reloaded.dispose();
  });

  it('does not leak tensors over 20 training steps', () => {
    const { clips, labels } = batch(7);
    const vars = Object.values(model.trainableVariables);
    const step = (i: number) => {
      const { value, grads } = tf.variableGrads(
        () => model.computeLoss({ clips, labels }, { rng: createRng(100).split(i), step: i }).loss,
        vars,
      );
      tf.tidy(() => {
        for (const v of vars) {
          const g = grads[v.name];
          if (g) v.assign(tf.sub(v, tf.mul(g, 1e-3)));
        }
      });
      tf.dispose([value, ...Object.values(grads)]);
    };
    step(0);
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 20; i++) step(i);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 3; i++) tf.dispose(Object.values(model.predict(clips)));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([clips, labels]);
  });

  it('learns: 15 SGD steps on one batch lower L_cls and L_rec', () => {
    const { clips, labels } = batch(10);
    const learner = createAdaTosk(config, { initSeed: 2 });
    const vars = Object.values(learner.trainableVariables);
    const losses = () => {
      const out = learner.computeLoss({ clips, labels }, { rng: createRng(11) });
      const r = [out.logs.cls.dataSync()[0], out.logs.rec.dataSync()[0]];
      tf.dispose([out.loss, out.logs.cls, out.logs.rec]);
      return r;
    };
    const [cls0, rec0] = losses();
    for (let i = 0; i < 15; i++) {
      const { value, grads } = tf.variableGrads(() => learner.computeLoss({ clips, labels }, { rng: createRng(11) }).loss, vars);
      tf.tidy(() => vars.forEach((v) => grads[v.name] && v.assign(tf.sub(v, tf.mul(grads[v.name], 0.05)))));
      tf.dispose([value, ...Object.values(grads)]);
    }
    const [cls1, rec1] = losses();
    expect(cls1).toBeLessThan(cls0 * 0.8);
    expect(rec1).toBeLessThan(rec0);
    tf.dispose([clips, labels]);
    learner.dispose();
  });

  it('trains a step with a user plugin selected by name (docs/examples/my-mask-plugin)', () => {
    const { clips, labels } = batch(8);
    const user = createAdaTosk(config, { initSeed: 1, softMask: { name: 'pixel-motion', options: { power: 2 } } });
    expect(user.softMask.name).toBe('pixel-motion');
    const vars = Object.values(user.trainableVariables);
    const before = user.trainableVariables[ENCODER_WEIGHT].dataSync().slice();
    const { value, grads } = tf.variableGrads(() => user.computeLoss({ clips, labels }, { rng: createRng(9) }).loss, vars);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.tidy(() => vars.forEach((v) => grads[v.name] && v.assign(tf.sub(v, tf.mul(grads[v.name], 0.1)))));
    const after = user.trainableVariables[ENCODER_WEIGHT].dataSync();
    expect(after.some((x, i) => x !== before[i])).toBe(true);
    // the plugin scores the tokens that moved above the still ones: 2 slots x 2 positions,
    // position 1 changes by 2 per pixel, position 0 stays -> [0, 1, 0, 1]
    const strategy = pixelMotionMask();
    expect(strategy.usesPixels).toBe(true);
    const scores = strategy.compute({
      features: tf.zeros([1, 4, 2]) as tf.Tensor3D,
      tokenIndices: Int32Array.from([0, 1, 2, 3]),
      grid: { frames: 2, height: 1, width: 2 },
      classifier: { weight: tf.zeros([2, 2]) as tf.Tensor2D, fcNorm: (x) => x },
      pixels: tf.tensor3d([
        [
          [0, 0],
          [1, 1],
          [0, 0],
          [3, 3],
        ],
      ]),
    });
    expect(Array.from(scores.dataSync())).toEqual([0, 1, 0, 1]);
    tf.dispose([value, ...Object.values(grads), clips, labels]);
    user.dispose();
    // options are validated by the plugin's parseOptions
    expect(() => createSoftMask('pixel-motion', { power: -1 })).toThrow(
      /Invalid options for mask 'pixel-motion': power must be a positive number/,
    );
  });
});
