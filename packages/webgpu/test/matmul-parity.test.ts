// The Hugging Face parity suite on WebGPU (Dawn + SwiftShader) with our matmul kernels running every product
// they apply to (mode 'ours', so even the fixture's small products take our kernels): linear layers with the
// bias in the epilogue and transposed-product gradients, attention products, the classifier.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeParitySuite } from '@adatosk/core/testing';
import { usesTransposedMatMul } from '@adatosk/core/internal';
import { selectDevice } from '@adatosk/backend-node';
import { installWebGPUKernels, setMatMulOptions } from '@adatosk/webgpu';
import { describeWithSystem } from './webgpu.js';

async function setup(): Promise<void> {
  await selectDevice('webgpu');
  installWebGPUKernels();
  setMatMulOptions({ mode: 'ours' });
  expect(tf.getBackend()).toBe('webgpu');
  expect(usesTransposedMatMul()).toBe(true);
}

describeWithSystem('webgpu', 'parity with our matmul kernels', () => {
  describeParitySuite({ backendName: 'webgpu (Node, Dawn + SwiftShader) with @adatosk/webgpu matmul kernels', setup });

  it('our kernels ran the products (not TF.js)', async () => {
    await setup();
    const info = await tf.profile(() => tf.tidy(() => tf.fused.matMul({ a: tf.ones([3, 5]), b: tf.ones([5, 4]), bias: tf.ones([4]) })));
    expect(info.kernels.map((k) => k.name)).toContain('_FusedMatMul');
    const backend = tf.backend() as unknown as { pipelineCache: Record<string, unknown> };
    expect(Object.keys(backend.pipelineCache).some((k) => k.startsWith('adatosk_mm'))).toBe(true);
  });
});
