// Frames -> clips and sliding-window recognition, on the CPU backend in Node.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import { framesToClip, frameToTensor, recognize, type RawFrame, type RecognitionModel } from '@adatosk/backend-web';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A frame whose every pixel is (v, v, v). */
const flat = (v: number, size = 4, channels = 3): RawFrame => ({
  data: new Uint8Array(size * size * channels).fill(v),
  width: size,
  height: size,
});

describe('framesToClip', () => {
  it('ImageNet-normalises, resizes and stacks to [1, T, H, W, 3]', () => {
    const clip = framesToClip([flat(255, 8), flat(0, 8, 4)], { size: 4 });
    expect(clip.shape).toEqual([1, 2, 4, 4, 3]);
    const v = clip.arraySync()[0];
    for (let c = 0; c < 3; c++) {
      expect(v[0][1][2][c]).toBeCloseTo((1 - IMAGENET_MEAN[c]) / IMAGENET_STD[c], 5);
      expect(v[1][3][0][c]).toBeCloseTo((0 - IMAGENET_MEAN[c]) / IMAGENET_STD[c], 5);
    }
    clip.dispose();
  });

  it('keeps RGB order and drops alpha', () => {
    const t = frameToTensor({ data: new Uint8Array([1, 2, 3, 255]), width: 1, height: 1 });
    expect(t.arraySync()).toEqual([[[1, 2, 3]]]);
    t.dispose();
    expect(() => frameToTensor({ data: new Uint8Array(5), width: 1, height: 1 })).toThrow(/neither RGB nor RGBA/);
    expect(() => framesToClip([], { size: 4 })).toThrow(/no frames/);
  });
});

// Normalised value halfway between a black and a white frame, averaged over channels.
const MID =
  [0, 1, 2].reduce((s, c) => s + ((0 - IMAGENET_MEAN[c]) / IMAGENET_STD[c] + (1 - IMAGENET_MEAN[c]) / IMAGENET_STD[c]) / 2, 0) / 3;

/** Classifies by mean brightness of the window: a model whose answers are known in advance. */
function brightnessModel(withMask: boolean): RecognitionModel {
  return {
    config: { numFrames: 4, imageSize: 4, labels: ['dark', 'bright'] },
    predict: (clips) => {
      const m = tf.sub(tf.reshape(tf.mean(clips, [1, 2, 3, 4]), [-1, 1]), MID);
      const logits = tf.mul(tf.concat([tf.neg(m), m], 1), 10) as tf.Tensor2D;
      return { logits, probs: tf.softmax(logits) };
    },
    // A 2x1x1 token grid per window (tubelets of 2 frames); token 0 dropped by the "hard mask", token 1
    // scored by the brightness of the window's second half.
    ...(withMask
      ? {
          softMasks: async (clips: tf.Tensor5D) => {
            const late = tf.tidy(() => tf.mean(tf.slice(clips, [0, 2], [-1, 2])));
            const score = (await late.data())[0];
            late.dispose();
            return { grid: { frames: 2, height: 1, width: 1 }, visible: [[1]], final: [[score]], kept: [[1]] };
          },
        }
      : {}),
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('recognize', () => {
  const stream = () => [0, 0, 0, 0, 255, 255, 255, 255, 255, 255].map((v) => flat(v));

  it('yields one result per window with the right frame ranges, probabilities and soft mask', async () => {
    const before = tf.memory().numTensors;
    const results = await collect(recognize(stream(), { model: brightnessModel(true), windowFrames: 4, stride: 2 }));
    expect(results.map((r) => [r.index, r.start, r.end])).toEqual([
      [0, 0, 4],
      [1, 2, 6],
      [2, 4, 8],
      [3, 6, 10],
    ]);
    expect([0, 2, 3].map((i) => results[i].label)).toEqual(['dark', 'bright', 'bright']);
    expect(results[1].probs[0]).toBeCloseTo(0.5, 4); // half dark, half bright
    for (const r of results) expect(r.probs[0] + r.probs[1]).toBeCloseTo(1, 5);
    expect(results[1].maskGrid).toEqual({ frames: 2, height: 1, width: 1 });
    expect(results[1].kept).toEqual([1]);
    expect(results[1].softMask![0]).toBe(0); // dropped token
    expect(results[0].softMask![1]).toBeLessThan(0); // dark second half
    expect(results[1].softMask![1]).toBeGreaterThan(0); // bright second half
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to classify() without predict(), defaults stride to half a window', async () => {
    const model: RecognitionModel = {
      config: { numFrames: 4, imageSize: 4 },
      classify: (clips) => ({ logits: brightnessModel(false).predict!(clips).logits }),
    };
    const results = await collect(recognize(stream(), { model }));
    expect(results.map((r) => r.start)).toEqual([0, 2, 4, 6]);
    expect(results[3].top).toBe(1);
    expect(results[3].label).toBeUndefined();
    expect(results[3].softMask).toBeUndefined();
  });

  it('accepts async streams and rejects bad options', async () => {
    async function* slow() {
      for (const f of stream()) {
        await new Promise((r) => setTimeout(r, 1));
        yield f;
      }
    }
    expect(await collect(recognize(slow(), { model: brightnessModel(false), windowFrames: 5, stride: 5 }))).toHaveLength(2);
    await expect(collect(recognize(stream(), { model: brightnessModel(false), stride: 0 }))).rejects.toThrow(
      /stride must be a positive integer/,
    );
    await expect(collect(recognize(stream(), { model: { config: { numFrames: 4, imageSize: 4 } } }))).rejects.toThrow(
      /neither predict\(\)/,
    );
  });
});
