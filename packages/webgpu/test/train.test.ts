// A training run on WebGPU with the fused ops: the step runs the fused kernels, the loss goes down, and
// tf.memory().numTensors stays flat over 20 steps (nothing leaks, neither in the step nor in AdamW).
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@adatosk/masks';
import { createAdaTosk, resolveConfig, train, type TrainData } from '@adatosk/core';
import {
  ADAMW_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  BIAS_GELU_KERNEL,
  GLOBAL_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
} from '@adatosk/core/internal';
import { describeWithSystem, useWebGPU } from './webgpu.js';

const config = resolveConfig('tiny', { numLayers: 1, numFrames: 4, imageSize: 32, decoderNumLayers: 1 });
const B = 2;

function data(size: number): TrainData & { dispose(): void } {
  const clips = tf.randomNormal([B, config.numFrames, config.imageSize, config.imageSize, 3], 0, 1, 'float32', 3) as tf.Tensor5D;
  return {
    size,
    async load(indices) {
      return {
        clips: tf.clone(clips),
        labels: tf.tensor1d(
          indices.map((i) => i % config.numClasses),
          'int32',
        ),
      };
    },
    dispose: () => clips.dispose(),
  };
}

describeWithSystem('webgpu', 'training on WebGPU with the fused ops', () => {
  useWebGPU();

  it('runs the fused kernels in a step', async () => {
    const model = createAdaTosk(config, { initSeed: 1 });
    const d = data(B);
    const info = await tf.profile(async () => {
      await train(model, d, { epochs: 1, batchSize: B, lr: 1e-3, clipGradNorm: 1, seed: 0 });
    });
    const names = new Set(info.kernels.map((k) => k.name));
    for (const k of [
      LAYER_NORM_KERNEL,
      ADD_LAYER_NORM_KERNEL,
      LAYER_NORM_GRAD_KERNEL,
      BIAS_GELU_KERNEL,
      SOFTMAX_CROSS_ENTROPY_KERNEL,
      GLOBAL_NORM_KERNEL,
      ADAMW_KERNEL,
    ])
      expect(names.has(k), k).toBe(true);
    model.dispose();
    d.dispose();
  });

  it('keeps tf.memory().numTensors flat over 20 steps', async () => {
    const model = createAdaTosk(config, { initSeed: 2 });
    const d = data(B * 20);
    const counts: number[] = [];
    const losses: number[] = [];
    await train(
      model,
      d,
      { epochs: 1, batchSize: B, lr: 1e-3, clipGradNorm: 1, seed: 0 },
      {
        onEvent: (e) => {
          if (e.type !== 'step') return;
          counts.push(tf.memory().numTensors);
          losses.push(e.loss);
        },
      },
    );
    expect(counts).toHaveLength(20);
    expect(new Set(counts.slice(1)).size, `tensors after each step: ${counts.join(', ')}`).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.slice(-3).reduce((a, b) => a + b) / 3).toBeLessThan(losses.slice(0, 3).reduce((a, b) => a + b) / 3);
    model.dispose();
    d.dispose();
  }, 1_800_000); // SwiftShader runs a step in seconds; a loaded CI machine takes longer
});
