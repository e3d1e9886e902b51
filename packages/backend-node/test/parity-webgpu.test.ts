// The core HF parity suite on WebGPU in Node: Dawn (`webgpu` package) on Chromium's SwiftShader Vulkan.
// Without the Vulkan loader or SwiftShader it skips with one line saying what to install (a failure under
// ADATOSK_REQUIRE_SYSTEM=1, which CI sets after installing them).
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { findFixturesDir, loadFixturesFromDir } from '@adatosk/core/testing';
import { describeParitySuite } from '@adatosk/core/testing/vitest';
import { decodeEntry, modelFromSafetensors, readSafetensors, softmaxCrossEntropy, usesFusedKernel } from '@adatosk/core';
import {
  ADAMW_KERNEL,
  ADD_LAYER_NORM_KERNEL,
  ATTENTION_KERNEL,
  BIAS_GELU_KERNEL,
  LAYER_NORM_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
  permute,
} from '@adatosk/core/internal';
import { selectDevice } from '@adatosk/backend-node';
import { INSTALL_SYSTEM, describeWithSystem } from '../../../tests/support/system.js';

async function setup(): Promise<void> {
  const picked = await selectDevice('webgpu').catch((err: Error) => {
    throw new Error(`${err.message}\nWebGPU tests need Dawn + SwiftShader: ${INSTALL_SYSTEM}`);
  });
  expect(picked.backend).toBe('webgpu');
  // The suite checks the fused ops (@adatosk/webgpu's kernels, installed by selectDevice).
  for (const k of [
    ATTENTION_KERNEL,
    LAYER_NORM_KERNEL,
    ADD_LAYER_NORM_KERNEL,
    BIAS_GELU_KERNEL,
    SOFTMAX_CROSS_ENTROPY_KERNEL,
    ADAMW_KERNEL,
  ])
    expect(usesFusedKernel(k), k).toBe(true);
}

// Default tolerance (1e-4 abs): on SwiftShader the worst error is ~4e-7. docs/backends.md allows 1e-3 on
// hardware GPUs, whose shaders round differently.
describeWithSystem('webgpu', 'WebGPU in Node (Dawn + SwiftShader)', () => {
  describeParitySuite({ backendName: 'webgpu (Node, Dawn + SwiftShader)', setup });

  it('selectDevice("webgpu") reports the SwiftShader adapter and auto skips it for WASM', async () => {
    const { selectDevice: select } = await import('@adatosk/backend-node');
    const explicit = await select('webgpu');
    expect(explicit.reason).toMatch(/adapter: google swiftshader \(software\)/);
    const auto = await select('auto');
    expect(auto.device).toBe('wasm');
    expect(auto.tried.find((t) => t.device === 'webgpu')).toMatchObject({ available: false, software: true });
    const forced = await select('auto', {
      allowSoftwareWebGPU: true,
      importModule: async (s) => {
        if (s.startsWith('@tensorflow/tfjs-node'))
          throw Object.assign(new Error(`Cannot find package '${s}'`), { code: 'ERR_MODULE_NOT_FOUND' });
        return import(/* @vite-ignore */ s);
      },
    });
    expect(forced.device).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });

  // The same golden tensors read with async downloads (Dawn cannot read synchronously): logits and the
  // classifier gradient on WebGPU against HF, and the whole gradient against WASM.
  it('classifier logits, loss and gradients on WebGPU (async reads) match Hugging Face', async () => {
    await setup();
    const fx = await loadFixturesFromDir(await findFixturesDir());
    const io = readSafetensors(fx.io, 'io.safetensors');
    const ref = (name: string) => decodeEntry(io.tensors.get(name)!) as Float32Array;
    const px = io.tensors.get('pixel_values')!;
    const [b, t, c, h, w] = px.shape;
    const model = await modelFromSafetensors(fx.config, fx.classifier);
    const clips = tf.tensor5d(permute(ref('pixel_values'), px.shape, [0, 1, 3, 4, 2]) as Float32Array, [b, t, h, w, c]);
    const labels = Array.from(decodeEntry(io.tensors.get('labels')!));
    const logits = model.classify(clips).logits;
    const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.classify(clips).logits, labels));
    const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i])));
    expect(maxDiff(await logits.data(), ref('cls.logits'))).toBeLessThan(1e-4);
    expect(maxDiff(await value.data(), ref('cls.loss'))).toBeLessThan(1e-4);
    const gradW = grads[model.classifierWeight.name]; // ours [D, C], HF [C, D]
    const gw = await gradW.data();
    const [d, k] = gradW.shape;
    const hf = ref('grad.cls.classifier.weight');
    expect(
      maxDiff(
        Array.from(gw, (_, i) => gw[(i % d) * k + Math.floor(i / d)]),
        hf,
      ),
    ).toBeLessThan(1e-4);
    const fresh = tf.add(logits, 1);
    expect(() => fresh.dataSync()).toThrow(/cannot read a WebGPU tensor in Node.*await tensor.data\(\)/);
    tf.dispose([fresh, logits, value, clips, ...Object.values(grads)]);
    model.dispose();
  });
});
