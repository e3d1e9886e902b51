// Core's Hugging Face parity suite on WebGPU (Dawn + SwiftShader) with this package's kernels installed,
// so every attention of the encoder and the decoder, forward and backward, runs the fused kernels; and a
// check that the model really takes that path.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describeParitySuite, findFixturesDir, loadFixturesFromDir } from '@adatosk/core/testing';
import { modelFromSafetensors, softmaxCrossEntropy, usesFusedKernel } from '@adatosk/core';
import { selectDevice } from '@adatosk/backend-node';
import { installWebGPUKernels } from '@adatosk/webgpu';
import { describeWithSystem } from './webgpu.js';

async function setup(): Promise<void> {
  await selectDevice('webgpu');
  installWebGPUKernels();
  expect(tf.getBackend()).toBe('webgpu');
  expect(usesFusedKernel('AdaToskAttention')).toBe(true);
}

describeWithSystem('webgpu', 'HF parity with the fused attention kernels', () => {
  describeParitySuite({ backendName: 'webgpu (Node, SwiftShader) with fused attention', setup });

  it('the classifier runs one fused attention kernel per encoder layer, forward and backward', async () => {
    await setup();
    const fx = await loadFixturesFromDir(await findFixturesDir());
    const model = await modelFromSafetensors(fx.config, fx.classifier);
    const layers = (JSON.parse(fx.config) as { num_hidden_layers: number }).num_hidden_layers;
    const clips = tf.randomUniform([1, 4, 32, 32, 3], 0, 1, 'float32', 7);
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.classify(clips as tf.Tensor5D).logits, [1]));
      return [value, ...Object.values(grads)];
    });
    const count = (name: string) => info.kernels.filter((k) => k.name === name).length;
    expect(count('AdaToskAttention')).toBe(layers);
    expect(count('AdaToskAttentionGrad')).toBe(layers);
    expect(count('Softmax')).toBe(0); // no attention runs the composite
    tf.dispose([clips, ...(info.result as tf.Tensor[])]);
    model.dispose();
  });
});
