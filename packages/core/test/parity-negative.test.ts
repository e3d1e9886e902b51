import { describe, expect, it } from 'vitest';
import { decodeEntry, readSafetensors, writeSafetensors, type WritableTensor } from '@adatosk/core';
import { runParityChecks } from '@adatosk/core/testing';
import { fixtureBytes } from './fixtureBytes.js';
import { useBackend } from './helpers.js';

describe('parity checks can fail', () => {
  it('flag a checkpoint whose one weight is off by 1e-3', async () => {
    await useBackend('cpu');
    const fx = await fixtureBytes();
    const tensors: Record<string, WritableTensor> = {};
    for (const [name, e] of readSafetensors(fx.classifier).tensors) {
      const data = decodeEntry(e) as Float32Array;
      if (name === 'videomae.encoder.layer.1.output.dense.bias') data[3] += 1e-3;
      tensors[name] = { dtype: 'F32', shape: e.shape, data };
    }
    const results = await runParityChecks({ ...fx, classifier: writeSafetensors(tensors) }, { legacy: false });
    const failed = new Set(results.filter((r) => !r.ok).map((r) => r.group));
    expect(failed.has('last_hidden_state')).toBe(true);
    expect(failed.has('pretrain.loss')).toBe(false); // the pre-training checkpoint is untouched
  });
});
