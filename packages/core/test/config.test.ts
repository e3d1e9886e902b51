import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configFromHF, configToHF, parseConfig, presets, resolveConfig, tokenGrid } from '@adatosk/core';
import { findFixturesDir } from '@adatosk/core/testing';

describe('config', () => {
  it('validates every preset and has the ViT-S / ViT-B shapes', () => {
    for (const p of Object.values(presets)) expect(parseConfig(p)).toEqual(p);
    expect(presets.small).toMatchObject({ hiddenSize: 384, numLayers: 12, numHeads: 6, intermediateSize: 1536, layerNormEps: 1e-12 });
    expect(presets.base).toMatchObject({ hiddenSize: 768, numLayers: 12, numHeads: 12, intermediateSize: 3072 });
    expect(tokenGrid(presets.tiny)).toEqual({ frames: 4, height: 4, width: 4, tokens: 64, patchDim: 1536 });
  });

  it('names an unknown key with a did-you-mean', () => {
    expect(() => resolveConfig('tiny', { hiddenSzie: 64 } as never)).toThrow(/unknown key "hiddenSzie" \(did you mean "hiddenSize"\?\)/);
    expect(() => parseConfig({ ...presets.tiny, num_frames: 8 })).toThrow(/unknown key "num_frames" \(did you mean "numFrames"\?\)/);
    expect(() => parseConfig({ ...presets.tiny, zzz: 1 })).toThrow(/unknown key "zzz"; valid keys:/);
  });

  it('names bad values and inconsistent sizes', () => {
    expect(() => resolveConfig('tiny', { numHeads: 5 })).toThrow(/numHeads: hiddenSize 96 is not divisible by numHeads 5/);
    expect(() => resolveConfig('tiny', { numFrames: 7 })).toThrow(/numFrames 7 is not a multiple of tubeletSize 2/);
    expect(() => resolveConfig('tiny', { patchSize: -1 })).toThrow(/patchSize/);
    expect(() => resolveConfig('tiny', { labels: ['a'] })).toThrow(/labels has 1 names but numClasses is 7/);
    expect(() => resolveConfig('huge' as never)).toThrow(/Unknown preset "huge"; choose one of: quickstart, tiny, small, base/);
  });

  it('maps HF config.json both ways', async () => {
    const json = JSON.parse(readFileSync(path.join(await findFixturesDir(), 'config.json'), 'utf8'));
    const c = configFromHF(json);
    expect(c).toEqual({
      numFrames: 4,
      imageSize: 32,
      patchSize: 8,
      tubeletSize: 2,
      numChannels: 3,
      hiddenSize: 48,
      numLayers: 2,
      numHeads: 4,
      intermediateSize: 96,
      decoderHiddenSize: 24,
      decoderNumLayers: 1,
      decoderNumHeads: 3,
      decoderIntermediateSize: 48,
      numClasses: 7,
      layerNormEps: 1e-12,
      normPixLoss: true,
      useMeanPooling: true,
      qkvBias: true,
    });
    expect(configFromHF(configToHF(c))).toEqual(c);
    const named = resolveConfig('tiny', { numClasses: 2, labels: ['calm', 'angry'] });
    const hf = configToHF(named);
    expect(hf.id2label).toEqual({ 0: 'calm', 1: 'angry' });
    expect(configFromHF(JSON.stringify(hf))).toEqual(named);
    expect(() => configFromHF({ ...json, hidden_act: 'gelu_new' })).toThrow(/hidden_act "gelu_new" is not supported/);
    expect(() => configFromHF({ ...json, model_type: 'vit' })).toThrow(/model_type is "vit"/);
    expect(() => configFromHF('{oops')).toThrow(/config.json: not valid JSON/);
  });
});
