import { describe, expect, it } from 'vitest';
import { countAdaToskFlops, countFlops, resolveConfig } from '@adatosk/core';

const clip = { frames: 16, height: 160 };

describe('countAdaToskFlops', () => {
  it('full-token base/small at 16x160x160 match the SPEC anchors (161.38 / 46.71 GFLOPs)', () => {
    expect(countAdaToskFlops('base', clip).full.gflops).toBeCloseTo(161.38, 1);
    expect(countAdaToskFlops('small', clip).full.gflops).toBeCloseTo(46.71, 1);
  });

  it('the default AdaTosk base costs at most half the full-token classifier', () => {
    const r = countAdaToskFlops('base', clip);
    expect(r.adatosk.tokens).toMatchObject({ total: 800, visible: 400, kept: 200 });
    expect(r.adatosk.gflops).toBeLessThanOrEqual(80.69);
    expect(r.adatosk.gmacs).toBeLessThanOrEqual(40.3);
    expect(r.ratio).toBeLessThanOrEqual(0.5);
    // every part of the count is accounted for: backbone on 400 tokens + the soft mask's products
    const backbone = countFlops(resolveConfig('base'), { ...clip, visibleTokens: 400 });
    expect(r.adatosk.macs - backbone.macs).toBe(r.adatosk.parts.softMask.macs);
    expect(r.adatosk.parts.softMask.macs / r.adatosk.macs).toBeLessThan(1e-3);
  });

  it('selecting earlier saves more; keeping everything at the last layer costs the hard-masked ViT', () => {
    const late = countAdaToskFlops('base', clip);
    const mid = countAdaToskFlops('base', { ...clip, selectAtLayer: 6 });
    const early = countAdaToskFlops('base', { ...clip, selectAtLayer: 2 });
    expect(mid.adatosk.flops).toBeLessThan(late.adatosk.flops);
    expect(early.adatosk.flops).toBeLessThan(mid.adatosk.flops);
    const noHard = countAdaToskFlops('base', { ...clip, rhoHInfer: 0, rhoS: 1 });
    expect(noHard.adatosk.flops).toBeGreaterThan(noHard.full.flops); // the mask's own products on top
    expect(() => countAdaToskFlops('base', { rhoS: 0 })).toThrow(/rhoS must be in \(0, 1\]/);
  });
});
