import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AdamW,
  clipByGlobalNorm,
  cosineWithWarmup,
  globalNorm,
  globalNormTensor,
  decodeTrainState,
  encodeTrainState,
  layerIdOf,
  layerLrScale,
  maeDferRecipe,
  NonFiniteLossError,
  epochOrder,
  train,
  trainStreams,
  usesWeightDecay,
  type TrainState,
} from '../src/train/index.js';
import type { TrainEvent } from '../src/events/index.js';
import { evaluate } from '../src/eval/index.js';
import { StandInModel, standInData } from './train-helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const weightsOf = (m: StandInModel) =>
  Object.fromEntries(Object.entries(m.trainableVariables).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('schedule and parameter groups', () => {
  it('warms up linearly and decays by a cosine to minLr', () => {
    const f = cosineWithWarmup({ baseLr: 1, minLr: 0.1, warmupSteps: 4, totalSteps: 14 });
    expect([f(0), f(1), f(3)]).toEqual([0.25, 0.5, 1]);
    expect(f(4)).toBeCloseTo(1);
    expect(f(9)).toBeCloseTo(0.55);
    expect(f(14)).toBeCloseTo(0.1);
  });
  it('parses HF layer names and decays per layer', () => {
    expect(layerIdOf('videomae.embeddings.patch_embeddings.projection.weight', 12)).toBe(0);
    expect(layerIdOf('videomae.encoder.layer.3.attention.attention.query.weight', 12)).toBe(4);
    expect(layerIdOf('classifier.weight', 12)).toBe(13);
    expect(layerIdOf('decoder.decoder_layers.0.attention.attention.query.weight', 12)).toBe(13);
    expect(layerLrScale('classifier.weight', 12, 0.75)).toBe(1);
    expect(layerLrScale('videomae.encoder.layer.11.output.dense.weight', 12, 0.75)).toBeCloseTo(0.75);
    expect(layerLrScale('videomae.embeddings.patch_embeddings.projection.weight', 12, 0.75)).toBeCloseTo(0.75 ** 13);
  });
  it('skips weight decay on biases, norms, position tables and mask tokens', () => {
    expect(usesWeightDecay('videomae.encoder.layer.0.attention.attention.query.weight', [8, 8])).toBe(true);
    expect(usesWeightDecay('videomae.encoder.layer.0.attention.attention.query.bias', [8])).toBe(false);
    expect(usesWeightDecay('videomae.encoder.layer.0.layernorm_before.weight', [8])).toBe(false);
    expect(usesWeightDecay('mask_token', [1, 1, 8])).toBe(false);
    expect(usesWeightDecay('videomae.embeddings.position_embeddings', [1, 64, 8])).toBe(false);
  });
  it('derives named seed streams that depend only on (seed, stream, position)', () => {
    const s = trainStreams(3);
    expect(epochOrder(s, 0, 10)).toEqual(epochOrder(trainStreams(3), 0, 10));
    expect(
      epochOrder(s, 0, 10)
        .slice()
        .sort((a, b) => a - b),
    ).toEqual([...Array(10).keys()]);
    expect(epochOrder(s, 0, 10)).not.toEqual(epochOrder(s, 1, 10));
    expect(epochOrder(s, 0, 10)).not.toEqual(epochOrder(trainStreams(4), 0, 10));
    // Streams are independent: the model's and mixup's draws at one step differ, and drawing from one
    // does not shift another (each is re-derived from its name and position).
    expect(s.model(5, 0).float()).not.toBe(s.mix(5, 0).float());
    expect(s.model(5, 0).float()).toBe(s.model(5, 0).float());
    expect(s.data(0, 1, 0)).toBe(trainStreams(3).data(0, 1, 0));
    expect(s.data(0, 1, 0)).not.toBe(s.data(0, 1, 1));
  });
  it('documents the MAE-DFER recipe', () => {
    const r = maeDferRecipe('dfew', 32, 3);
    expect(r.layerDecay).toBe(0.75);
    expect(r.weightDecay).toBe(0.05);
    expect(r.lr).toBeCloseTo((1e-3 * 96) / 256);
    expect(maeDferRecipe('ferv39k').samplingRate).toBe(1);
  });
});

describe('AdamW', () => {
  it('matches the PyTorch AdamW update on a scalar', async () => {
    const p = tf.variable(tf.tensor2d([[1, -2]]));
    const opt = new AdamW({ w: p }, { w: { lrScale: 1, decay: true } }, { weightDecay: 0.1 });
    const g = tf.tensor2d([[0.5, 0.5]]);
    opt.step({ w: g }, 0.1);
    // torch: p = p*(1 - lr*wd); m=0.05,v=0.00025 -> mhat=0.5, vhat=0.25 -> p -= lr * 0.5/(0.5+1e-8)
    const [a, b] = p.dataSync();
    expect(a).toBeCloseTo(1 * (1 - 0.01) - 0.1, 5);
    expect(b).toBeCloseTo(-2 * (1 - 0.01) - 0.1, 5);
    const st = await opt.readState();
    expect(st.t).toBe(1);
    expect(Array.from(st.m.w)).toEqual([expect.closeTo(0.05, 6), expect.closeTo(0.05, 6)]);
    opt.dispose();
    tf.dispose([p, g]);
  });
});

describe('train', () => {
  const base = { epochs: 2, batchSize: 4, lr: 0.05, warmupSteps: 1, weightDecay: 0.01, layerDecay: 0.9, clipGradNorm: 1, seed: 7 };

  it('learns, emits a typed event sequence and keeps tf.memory flat', async () => {
    const model = new StandInModel();
    const data = standInData(24);
    const events: TrainEvent[] = [];
    const counts: number[] = [];
    const res = await train(
      model,
      data,
      { ...base, epochs: 6 },
      {
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'epoch') counts.push(tf.memory().numTensors);
        },
        evaluate: async () => evaluate(model, data),
      },
    );
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual(['start', 'epoch-start', 'step', 'epoch', 'eval', 'done']);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(36);
    expect(counts.every((c) => c === counts[0])).toBe(true);
    expect(res.history[5].loss).toBeLessThan(res.history[0].loss);
    expect(res.last!.war).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('gives the same weights for 4 steps straight and 2 + resume + 2 (bit-exact on cpu)', async () => {
    const opts = { ...base, epochs: 2, accumSteps: 1, mix: { mixupAlpha: 0.4, cutmixAlpha: 1, prob: 1, switchProb: 0.5 } };
    const a = new StandInModel();
    await train(a, standInData(8), opts);
    const straight = weightsOf(a);
    a.dispose();

    const b = new StandInModel();
    const ctl = new AbortController();
    let saved: Uint8Array | undefined;
    let steps = 0;
    const r1 = await train(b, standInData(8), opts, {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'step' && ++steps === 1) ctl.abort();
      },
      saveCheckpoint: async (s) => {
        saved = encodeTrainState(s);
        return 'mem';
      },
    });
    expect(r1.aborted).toBe(true);
    b.dispose();
    const state = decodeTrainState(saved!);
    expect(state.step).toBe(1);
    expect(state.stepInEpoch).toBe(1);

    const c = new StandInModel(3, 99); // different init: resume must overwrite it
    await train(c, standInData(8), opts, { resume: state });
    expect(weightsOf(c)).toEqual(straight);
    c.dispose();
  });

  it('resumes from an epoch-end checkpoint with gradient accumulation', async () => {
    const opts = { ...base, epochs: 2, batchSize: 2, accumSteps: 2 };
    const a = new StandInModel();
    await train(a, standInData(8), opts);
    const straight = weightsOf(a);
    a.dispose();
    const states: TrainState[] = [];
    const b = new StandInModel();
    await train(
      b,
      standInData(8),
      { ...opts, epochs: 2 },
      {
        saveCheckpoint: async (s) => {
          states.push(decodeTrainState(encodeTrainState(s)));
          return `e${s.epoch}`;
        },
      },
    );
    b.dispose();
    expect(states.map((s) => [s.epoch, s.step])).toEqual([
      [1, 2],
      [2, 4],
    ]);
    const c = new StandInModel();
    await train(c, standInData(8), opts, { resume: states[0] });
    expect(weightsOf(c)).toEqual(straight);
    c.dispose();
  });

  it('trains, clips, checkpoints and evaluates with asynchronous reads only (as WebGPU in Node)', async () => {
    const model = new StandInModel();
    const proto = tf.Tensor.prototype as unknown as Record<'dataSync' | 'arraySync', () => unknown>;
    const saved = { dataSync: proto.dataSync, arraySync: proto.arraySync };
    let syncReads = 0;
    proto.dataSync = proto.arraySync = () => {
      syncReads++;
      throw new Error('synchronous read');
    };
    const states: TrainState[] = [];
    const steps: number[] = [];
    try {
      await train(
        model,
        standInData(16),
        { ...base, epochs: 2, accumSteps: 2, batchSize: 2, clipGradNorm: 0.01 },
        {
          onEvent: (e) => {
            if (e.type === 'step') steps.push(e.gradNorm);
          },
          evaluate: async () => evaluate(model, standInData(16)),
          saveCheckpoint: async (s) => {
            states.push(s);
            return 'mem';
          },
        },
      );
    } finally {
      Object.assign(proto, saved);
    }
    expect(syncReads).toBe(0);
    expect(states).toHaveLength(2);
    expect(steps).toHaveLength(8);
    expect(steps.every((n) => Number.isFinite(n) && n > 0.01)).toBe(true); // pre-clip norms, so clipping was active
    model.dispose();
  });

  it('clips by the global norm on the device (torch.nn.utils.clip_grad_norm_)', async () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) };
    const norm = globalNormTensor(grads);
    expect(await globalNorm(grads)).toBeCloseTo(5, 6);
    const clipped = clipByGlobalNorm(grads, norm, 1);
    expect(Array.from(await clipped.a.data())).toEqual([expect.closeTo(3 / (5 + 1e-6), 6), 0]);
    expect(Array.from(await clipped.b.data())).toEqual([0, expect.closeTo(4 / (5 + 1e-6), 6)]);
    const loose = clipByGlobalNorm(grads, norm, 10);
    expect(Array.from(await loose.a.data())).toEqual([3, 0]); // under the limit: scale exactly 1
    expect(() => clipByGlobalNorm(grads, norm, 0)).toThrow(/maxNorm/);
    tf.dispose([norm, ...Object.values(grads), ...Object.values(clipped), ...Object.values(loose)]);
  });

  it('skips or stops on a non-finite loss and names the step', async () => {
    const m = new StandInModel();
    m.nanAtStep = 2;
    const events: TrainEvent[] = [];
    await train(m, standInData(8), { ...base, onNonFinite: 'skip' }, { onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'skip')).toEqual([expect.objectContaining({ step: 3, reason: 'non-finite-loss' })]);
    expect(Object.values(m.trainableVariables).every((v) => v.dataSync().every(Number.isFinite))).toBe(true);
    await expect(train(m, standInData(8), { ...base, onNonFinite: 'stop' })).rejects.toThrow(NonFiniteLossError);
    await expect(train(m, standInData(8), { ...base, onNonFinite: 'stop' })).rejects.toThrow(/step 3/);
    m.dispose();
  });

  it('rejects bad options and mismatched checkpoints with clear messages', async () => {
    const m = new StandInModel();
    await expect(train(m, standInData(8), { ...base, epochs: 0 })).rejects.toThrow(/'epochs'/);
    await expect(train(m, standInData(8), { ...base, lr: -1 })).rejects.toThrow(/'lr'/);
    const other = new StandInModel(4);
    let st: TrainState | undefined;
    await train(
      other,
      standInData(8, 4),
      { ...base, epochs: 1 },
      {
        saveCheckpoint: async (s) => {
          st = s;
          return 'x';
        },
      },
    );
    await expect(train(m, standInData(8), base, { resume: st })).rejects.toThrow(/classifier.weight/);
    expect(() => decodeTrainState(new Uint8Array(4), 'x.safetensors')).toThrow(/x.safetensors/);
    m.dispose();
    other.dispose();
  });
});
