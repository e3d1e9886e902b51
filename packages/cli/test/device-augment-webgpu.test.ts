// The device augmentation on real WebGPU (Dawn in Node on SwiftShader): packed int32 pixels from a
// SharedArrayBuffer, cropAndResize with reversed (flipped) boxes, edge padding, jitter, normalisation —
// the same clips as the CPU kernel the workers run.
import { beforeAll, expect, it } from 'vitest';
import { createRng } from '@adatosk/core';
import * as tf from '@tensorflow/tfjs-core';
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import { selectDevice } from '@adatosk/backend-node';
import { DEFAULT_AUGMENT, augmentFrame, augmentOnDevice, drawAugment, packPixels, planFrame, type FrameAugment } from '@adatosk/datasets';
import { describeWithSystem } from '../../../tests/support/system.js';

describeWithSystem('webgpu', 'augmentOnDevice on WebGPU', () => {
  beforeAll(async () => {
    await selectDevice('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('matches the CPU kernel', async () => {
    const H = 18,
      W = 22,
      S = 12,
      T = 2,
      B = 3;
    const rng = createRng(21);
    const frames = Array.from({ length: B * T }, (_, n) =>
      Uint8Array.from({ length: H * W * 3 }, (_, i) => Math.round(127.5 + 120 * Math.sin(0.05 * i + n))),
    );
    const augments: FrameAugment[] = Array.from({ length: B }, (_, b) => {
      const p = drawAugment(DEFAULT_AUGMENT, rng);
      return { size: S, crop: p.crop, flip: b !== 1, ...(b === 2 ? {} : { color: p.color! }) };
    });
    const packed = new Int32Array(new SharedArrayBuffer(B * T * H * W * 4));
    frames.forEach((f, n) => packPixels(f, packed, n * H * W));
    const input = tf.tensor3d(packed, [B * T, H, W], 'int32');
    const out = augmentOnDevice(input, { framesPerClip: T, augments });
    const got = await out.data();
    tf.dispose([input, out]);
    const len = S * S * 3;
    frames.forEach((f, n) => {
      const a = augments[Math.floor(n / T)]!;
      const want = new Float32Array(len);
      augmentFrame(f, planFrame(W, H, a), a.color, { mean: IMAGENET_MEAN, std: IMAGENET_STD }, want, 0);
      let max = 0;
      for (let i = 0; i < len; i++) max = Math.max(max, Math.abs(got[n * len + i]! - want[i]!));
      expect(max).toBeLessThan(2e-3);
    });
  });
});
