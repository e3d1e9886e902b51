import { beforeAll, describe, expect, it } from 'vitest';
import { countFlops, countParams, createModel, resolveConfig } from '@adatosk/core';
import { useBackend } from './helpers.js';

const at160 = (p: 'tiny' | 'small' | 'base') =>
  resolveConfig(p, { numFrames: 16, imageSize: 160, patchSize: 16, tubeletSize: 2, numClasses: 7 });

describe('countParams / countFlops', () => {
  beforeAll(() => useBackend('cpu'));
  it('match HF VideoMAE classifiers at 16x160x160 with 7 classes', () => {
    expect(countParams(at160('small')).total / 1e6).toBeCloseTo(21.89, 2);
    expect(countParams(at160('base')).total / 1e6).toBeCloseTo(86.24, 2);
    const s = countFlops(at160('small'));
    const b = countFlops(at160('base'));
    expect(s.gflops).toBeCloseTo(46.71, 2);
    expect(b.gflops).toBeCloseTo(161.38, 2);
    expect(s.gmacs).toBeCloseTo(23.36, 2);
    expect(b.gmacs).toBeCloseTo(80.69, 2);
    expect(b.tokens).toEqual({ total: 800, visible: 800, kept: 800, hidden: 0 });
    const partSum = Object.values(b.parts).reduce((a, p) => a + p.flops, 0);
    expect(partSum).toBe(b.flops);
    expect(b.parts['encoder.attention'].macs).toBe(12 * 2 * 800 * 800 * 768);
  });

  it('counts params by part and agrees with the built model', () => {
    const cfg = resolveConfig('tiny');
    const c = countParams(cfg, { includeDecoder: true });
    const m = createModel(cfg);
    expect(c.total).toBe(Object.values(m.variables).reduce((a, v) => a + v.size, 0));
    m.dispose();
    expect(Object.values(c.parts).reduce((a, b) => a + b, 0)).toBe(c.total);
    expect(countParams(cfg).total).toBe(c.total - c.parts.decoder);
  });

  it('counts visible-only encoding, AdaTosk selection and the decoder', () => {
    const cfg = at160('base');
    const full = countFlops(cfg);
    const half = countFlops(cfg, { hiddenRatio: 0.5 });
    expect(half.tokens).toMatchObject({ visible: 400, hidden: 400 });
    expect(countFlops(cfg, { visibleTokens: 400 }).flops).toBe(half.flops);
    // Per layer: linear parts scale with n, attention with n^2.
    const layer = (n: number) => 2 * (n * 768 * (4 * 768 + 2 * 3072) + 2 * n * n * 768);
    expect(full.flops - half.flops).toBe(12 * (layer(800) - layer(400)) + 2 * 400 * 1536 * 768);
    const sel = countFlops(cfg, { hiddenRatio: 0.5, selectAtLayer: 4, keptTokens: 200 });
    expect(half.flops - sel.flops).toBe(8 * (layer(400) - layer(200)));
    const dec = countFlops(cfg, { hiddenRatio: 0.5, includeDecoder: true });
    const decoderMacs = 400 * 768 * 384 + 4 * (800 * 384 * (4 * 384 + 2 * 1536) + 2 * 800 * 800 * 384) + 400 * 384 * 1536;
    expect(dec.macs - half.macs).toBe(decoderMacs);
    expect(() => countFlops(cfg, { keptTokens: 900 })).toThrow(/keptTokens must be an integer in \[1, visibleTokens=800\]/);
    expect(() => countFlops(cfg, { selectAtLayer: 13 })).toThrow(/selectAtLayer must be an integer in \[0, 12\]/);
  });
});
