// Kernel AdaToskAttention for WebGPU: softmax(scale * q k^T) v per head from packed QKV in one dispatch
// (see forwardShader.ts), returning [output [B, N, heads * dh] (rows [B * N, heads * dh] for rows in), logsumexp [B, heads, N]].
import type * as tf from '@tensorflow/tfjs-core';
import { registerWebGPUKernel, type KernelFunc } from '../registry.js';
import { allocate, backendDevice, dispatchCompute } from './dispatch.js';
import { forwardShader } from './forwardShader.js';
import { ATTENTION_KERNEL, attentionShape, outputShape } from './shapes.js';
import { chooseAttentionTiles, workgroupBudget } from './tiles.js';
import { paramsUniforms } from './layout.js';

export const attentionForward: KernelFunc = ({ inputs, attrs, backend }) => {
  const qkv = inputs.qkv as tf.TensorInfo | undefined;
  const s = attentionShape(qkv, attrs, ATTENTION_KERNEL);
  const device = backendDevice(backend);
  const tiles = chooseAttentionTiles(s.dh, workgroupBudget(device.limits.maxComputeWorkgroupStorageSize));
  const out = allocate(backend, outputShape(s));
  const lse = allocate(backend, [s.batch, s.heads, s.tokens]);
  dispatchCompute(backend, {
    name: 'AdaToskAttentionForward',
    key: `AdaToskAttentionForward:${s.dh}:${tiles.fwdRows}x${tiles.fwdKeys}`,
    source: () => forwardShader(tiles),
    outputs: [out, lse],
    inputs: [qkv!],
    uniforms: paramsUniforms(s.tokens, s.heads, s.scale),
    workgroups: [Math.ceil(s.tokens / tiles.fwdRows), s.heads, s.batch],
  });
  return [out, lse];
};

registerWebGPUKernel({
  kernelName: ATTENTION_KERNEL,
  description:
    'multi-head attention in one dispatch (flash-attention forward: online softmax over key tiles), packed QKV in; also writes row logsumexp',
  create: () => attentionForward,
});
