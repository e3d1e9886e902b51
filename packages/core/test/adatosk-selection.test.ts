import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apexPrecisionAtK,
  countFlops,
  createAdaTosk,
  createRng,
  meanApexPrecision,
  resolveConfig,
  type VideoMAEConfig,
} from '@adatosk/core';
import '@adatosk/masks';

// 8 frames of 32x32, patch 8 -> 4 slots x 16 positions, 2 layers.
const config: VideoMAEConfig = resolveConfig('tiny', {
  imageSize: 32,
  patchSize: 8,
  numLayers: 2,
  hiddenSize: 32,
  numHeads: 2,
  intermediateSize: 64,
  decoderHiddenSize: 32,
  decoderNumHeads: 2,
  decoderIntermediateSize: 64,
});

function clipsOf(seed: number, b = 2): tf.Tensor5D {
  const rng = createRng(seed);
  const n = b * config.numFrames * config.imageSize * config.imageSize * 3;
  return tf.tensor5d(
    Float32Array.from({ length: n }, () => rng.normal()),
    [b, config.numFrames, config.imageSize, config.imageSize, 3],
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('token selection inside the encoder', () => {
  it('a none hard mask with rhoS 1 and mean pooling is the plain full-token ViT (no soft mask run)', () => {
    const vit = createAdaTosk(config, {
      initSeed: 3,
      hardMask: { name: 'hard-random', options: { mode: 'none' } },
      rhoS: 1,
      pooling: 'mean',
    });
    expect(vit.selects).toBe(false);
    const clips = clipsOf(1);
    const ours = vit.predictLogits(clips);
    const plain = vit.backbone.classify(clips).logits;
    expect(Math.max(...Array.from(tf.abs(tf.sub(ours, plain)).dataSync()))).toBeLessThan(1e-5);
    const cost = vit.inferenceFlops();
    expect(cost.adatosk.flops).toBe(cost.full.flops);
    expect(cost.adatosk.parts.softMask).toBeUndefined();
    tf.dispose([clips, ours, plain]);
    vit.dispose();
  });

  it('inferenceFlops counts the tokens predict really uses: layers after selectAtLayer run on the kept ones', async () => {
    const model = createAdaTosk(config, {
      initSeed: 3,
      hardMask: { name: 'hard-random', options: { mode: 'none' } },
      rhoHInfer: 0.5,
      rhoS: 0.25,
      selectAtLayer: 1,
    });
    const cost = model.inferenceFlops();
    // a none hard mask hides nothing, whatever rhoHInfer says
    expect(cost.adatosk.tokens).toMatchObject({ total: 64, visible: 64, kept: 16 });
    const backbone = countFlops(config, { visibleTokens: 64, selectAtLayer: 1, keptTokens: 16 });
    expect(cost.adatosk.macs - backbone.macs).toBe(cost.adatosk.parts.softMask!.macs);
    expect(cost.ratio).toBeCloseTo(cost.adatosk.flops / cost.full.flops, 12);
    expect(cost.ratio).toBeLessThan(1);
    const clips = clipsOf(2);
    const report = await model.softMasks(clips);
    expect(report.visible[0]!.length).toBe(64);
    expect(report.kept[0]!.length).toBe(16);
    tf.dispose(clips);
    model.dispose();

    const tube = createAdaTosk(config, { rhoHInfer: 0.5, rhoS: 0.5, selectAtLayer: 0 });
    expect(tube.inferenceFlops().adatosk.tokens).toMatchObject({ visible: 32, kept: 16 });
    tube.dispose();
  });

  it("pooling 'mean' ignores the scores' size: scaling the mask leaves the logits unchanged", () => {
    const clips = clipsOf(4);
    const scaled = (factor: number, pooling: 'mean' | 'weighted') => {
      const mask = {
        kind: 'soft' as const,
        name: 'scaled',
        compute: (ctx: { features: tf.Tensor3D; tokenIndices: Int32Array }) => {
          const [b, v] = ctx.features.shape;
          // a fixed ranking (by token index) with a configurable scale
          return tf.tensor2d(
            Float32Array.from(ctx.tokenIndices, (t) => factor * (1 - t / 64)),
            [b, v],
          );
        },
      };
      const m = createAdaTosk(config, { initSeed: 5, softMask: mask, rhoS: 0.5, selectAtLayer: 1, pooling });
      const logits = m.predictLogits(clips);
      const out = Array.from(logits.dataSync());
      logits.dispose();
      m.dispose();
      return out;
    };
    expect(scaled(1, 'mean')).toEqual(scaled(0.5, 'mean'));
    const w1 = scaled(1, 'weighted');
    const wMean = scaled(1, 'mean');
    expect(w1.some((x, i) => Math.abs(x - wMean[i]!) > 1e-6)).toBe(true);
    tf.dispose(clips);
  });
});

describe('apexPrecisionAtK', () => {
  // 4 slots x 2 positions, tubelet 2: apex frame 5 lies in slot 2 (tokens 4 and 5).
  const base = { visible: [0, 1, 2, 3, 4, 5, 6, 7], apexFrames: [5], tokensPerSlot: 2, tubeletSize: 2 };

  it('counts the top-k tokens on apex slots, and the chance of a random pick', () => {
    const scores = [0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.7, 0.0];
    expect(apexPrecisionAtK({ ...base, scores, k: 2 })).toEqual({ precision: 1, chance: 0.25 });
    expect(apexPrecisionAtK({ ...base, scores, k: 4 })).toEqual({ precision: 0.5, chance: 0.25 });
    // ties go to the lower token index
    expect(apexPrecisionAtK({ ...base, scores: [1, 1, 1, 1, 1, 1, 1, 1], k: 2 })!.precision).toBe(0);
  });

  it('skips clips without apex frames and averages the others', () => {
    expect(apexPrecisionAtK({ ...base, apexFrames: [], scores: base.visible, k: 2 })).toBeUndefined();
    const mean = meanApexPrecision([{ precision: 1, chance: 0.25 }, undefined, { precision: 0, chance: 0.25 }]);
    expect(mean).toEqual({ precision: 0.5, chance: 0.25, clips: 2 });
    expect(() => apexPrecisionAtK({ ...base, scores: [1], k: 1 })).toThrow(/1 scores for 8 visible tokens/);
  });
});
