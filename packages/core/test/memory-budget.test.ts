// recomputeBlocks 'auto': a training step keeps each block's activations while they fit the memory budget (the
// user's, else the device's), and the blocks after that recompute.
import { afterEach, beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, memoryBudget, resolveConfig, setMemoryBudget } from '@adatosk/core';
import { DEFAULT_MEMORY_BYTES, blockActivationBytes, setDeviceMemory, stepActivationBudget } from '@adatosk/core/internal';
import { useBackend } from './helpers.js';

const config = resolveConfig('tiny', {
  numFrames: 4,
  imageSize: 32,
  patchSize: 8,
  hiddenSize: 32,
  numLayers: 4,
  numHeads: 2,
  intermediateSize: 64,
  decoderHiddenSize: 16,
  decoderNumHeads: 2,
  decoderIntermediateSize: 32,
  decoderNumLayers: 1,
  numClasses: 5,
});

beforeAll(() => useBackend('cpu'));
afterEach(() => {
  setMemoryBudget(undefined);
  setDeviceMemory(undefined);
});

it("the budget is the user's, else the device's, else the default", () => {
  expect(memoryBudget()).toEqual({ bytes: DEFAULT_MEMORY_BYTES, source: 'default' });
  setDeviceMemory(64 * 2 ** 30, 'GPU memory (nvidia-smi)');
  expect(memoryBudget()).toEqual({ bytes: 64 * 2 ** 30, source: 'device: GPU memory (nvidia-smi)' });
  setMemoryBudget(20 * 2 ** 30);
  expect(memoryBudget()).toEqual({ bytes: 20 * 2 ** 30, source: 'user' });
  expect(() => setMemoryBudget(-1)).toThrow(/positive number of bytes/);
  // A step's activations get 85% of it, less 16 bytes per parameter.
  expect(stepActivationBudget(1000)).toBe(0.85 * 20 * 2 ** 30 - 16000);
});

it('blocks keep their activations while they fit and recompute after (one more Erf per recomputed block)', async () => {
  const m = createModel(config, { seed: 1 });
  const clips = tf.randomNormal([2, 4, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor5D;
  // Encoder on all 32 tokens; the composite path (CPU) counts one Erf per block forward.
  const erfs = async () => {
    const info = await tf.profile(() => {
      const r = tf.variableGrads(() => tf.sum(m.classify(clips).logits) as tf.Scalar, Object.values(m.trainableVariables));
      tf.dispose([r.value, ...Object.values(r.grads)]);
    });
    return info.kernels.filter((k) => k.name === 'Erf').length;
  };
  const perBlock = blockActivationBytes(2, 32, 32, 64, 2);
  const params = Object.values(m.trainableVariables).reduce((n, v) => n + v.size, 0);
  const budgetFor = (blocks: number) => (blocks * perBlock + 16 * params + 1) / 0.85;
  setMemoryBudget(budgetFor(4));
  expect(await erfs()).toBe(4); // all 4 fit
  setMemoryBudget(budgetFor(2.5));
  expect(await erfs()).toBe(4 + 2); // 2 keep, 2 recompute
  setMemoryBudget(budgetFor(0));
  expect(await erfs()).toBe(4 + 4);
  // An explicit activation budget overrides the memory budget.
  m.recomputeBudgetBytes = Infinity;
  expect(await erfs()).toBe(4);
  clips.dispose();
  m.dispose();
});
