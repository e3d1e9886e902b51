// Kernel AdaToskAttentionGrad for WebGPU: the gradient of AdaToskAttention with respect to its packed
// QKV input, in two dispatches that recompute the probabilities from the saved row logsumexp (see
// backwardShaders.ts): the dQ pass (also writes D = rowsum(dO * O)), then the dK/dV pass.
import type * as tf from '@tensorflow/tfjs-core';
import { registerWebGPUKernel, type KernelFunc } from '../registry.js';
import { dqShader, dkvShader } from './backwardShaders.js';
import { allocate, backendDevice, dispatchCompute } from './dispatch.js';
import { ATTENTION_GRAD_KERNEL, attentionShape, expectShape, outputShape } from './shapes.js';
import { chooseAttentionTiles, workgroupBudget } from './tiles.js';
import { paramsUniforms } from './layout.js';

export const attentionBackward: KernelFunc = ({ inputs, attrs, backend }) => {
  const qkv = inputs.qkv as tf.TensorInfo | undefined;
  const s = attentionShape(qkv, attrs, ATTENTION_GRAD_KERNEL);
  const rows = outputShape(s);
  const dy = expectShape(inputs.dy, rows, 'dy', ATTENTION_GRAD_KERNEL);
  const out = expectShape(inputs.out, rows, 'out', ATTENTION_GRAD_KERNEL);
  const lse = expectShape(inputs.lse, [s.batch, s.heads, s.tokens], 'lse', ATTENTION_GRAD_KERNEL);
  const device = backendDevice(backend);
  const tiles = chooseAttentionTiles(s.dh, workgroupBudget(device.limits.maxComputeWorkgroupStorageSize));
  const dqkv = allocate(backend, qkv!.shape.slice());
  const delta = allocate(backend, [s.batch, s.heads, s.tokens]);
  const uniforms = paramsUniforms(s.tokens, s.heads, s.scale);
  dispatchCompute(backend, {
    name: 'AdaToskAttentionGradQ',
    key: `AdaToskAttentionGradQ:${s.dh}:${tiles.split}:${tiles.dqRows}x${tiles.dqKeys}`,
    source: () => dqShader(tiles),
    outputs: [dqkv, delta],
    inputs: [dy, qkv!, out, lse],
    uniforms,
    workgroups: [Math.ceil(s.tokens / tiles.dqRows), s.heads, s.batch],
  });
  dispatchCompute(backend, {
    name: 'AdaToskAttentionGradKV',
    key: `AdaToskAttentionGradKV:${s.dh}:${tiles.split}:${tiles.dkvRows}x${tiles.dkvQueries}`,
    source: () => dkvShader(tiles),
    outputs: [dqkv],
    inputs: [dy, qkv!, lse, delta],
    uniforms,
    workgroups: [Math.ceil(s.tokens / tiles.dkvRows), s.heads, s.batch],
  });
  // D is released once the queued dispatches have run (the backend defers it: it is in the command queue).
  (backend as { disposeData(dataId: object): void }).disposeData(delta.dataId);
  return dqkv;
};

registerWebGPUKernel({
  kernelName: ATTENTION_GRAD_KERNEL,
  description:
    'gradient of AdaToskAttention wrt packed QKV (flash-attention-2 backward: probabilities recomputed from the row logsumexp; dQ pass, then dK/dV pass)',
  create: () => attentionBackward,
});
