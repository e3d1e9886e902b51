// Tile choice of the attention kernels (pure: no GPU): what fits a device's workgroup memory, and the
// kernel names and attributes shared with @adatosk/core's op.
import { expect, it } from 'vitest';
import { ATTENTION_GRAD_KERNEL as CORE_GRAD, ATTENTION_KERNEL as CORE_FWD } from '@adatosk/core/internal';
import { chooseAttentionTiles, workgroupBytes } from '../src/attention/tiles.js';
import { ATTENTION_GRAD_KERNEL, ATTENTION_KERNEL, attentionShape } from '../src/attention/shapes.js';

it('uses the largest tiles that fit: head width 64 on 32 KiB and on the WebGPU minimum of 16 KiB', () => {
  expect(chooseAttentionTiles(64, 32768)).toMatchObject({
    dh4: 16,
    split: 2,
    slice4: 8,
    fwdRows: 64,
    fwdKeys: 32,
    dqRows: 32,
    dqKeys: 32,
    dkvRows: 32,
    dkvQueries: 16,
  });
  expect(chooseAttentionTiles(64, 16384)).toMatchObject({ fwdKeys: 16, dqKeys: 16, dkvQueries: 8 });
  expect(chooseAttentionTiles(32, 32768)).toMatchObject({
    split: 1,
    slice4: 8,
    dqRows: 64,
    dkvRows: 64,
    fwdKeys: 32,
    dqKeys: 32,
    dkvQueries: 32,
  });
});

it('never exceeds the budget, at any head width', () => {
  for (const budget of [16384, 32768])
    for (let dh = 1; dh <= 256; dh += 7) {
      const t = chooseAttentionTiles(dh, budget);
      const bytes = workgroupBytes(t);
      expect(Math.max(bytes.forward, bytes.dq, bytes.dkv), `dh ${dh}`).toBeLessThanOrEqual(budget);
      expect(t.split * t.slice4).toBeGreaterThanOrEqual(t.dh4);
      expect(t.slice4).toBeLessThanOrEqual(8);
      expect(64 % t.split).toBe(0);
    }
});

it('explains a head too wide for the device and bad inputs', () => {
  expect(() => chooseAttentionTiles(4096, 16384)).toThrow(/forward pass at head width 4096 does not fit/);
  expect(() => chooseAttentionTiles(0, 16384)).toThrow(/head width 0 must be a positive integer/);
  const info = (shape: number[], dtype = 'float32') => ({ dataId: {}, shape, dtype }) as never;
  expect(() => attentionShape(info([1, 4, 10]), { numHeads: 2, scale: 1 }, ATTENTION_KERNEL)).toThrow(
    /last axis \(10\) must be 3 \* numHeads \(2\)/,
  );
  expect(() => attentionShape(info([12]), { numHeads: 2, scale: 1 }, ATTENTION_KERNEL)).toThrow(/must be \[batch, tokens/);
  expect(() => attentionShape(info([4, 12]), { numHeads: 2, scale: 1 }, ATTENTION_KERNEL)).toThrow(/need attribute tokens/);
  expect(attentionShape(info([10, 24]), { numHeads: 2, scale: 0.5, tokens: 5 }, ATTENTION_KERNEL)).toMatchObject({
    batch: 2,
    tokens: 5,
    rank: 2,
  });
  expect(() => attentionShape(info([1, 4, 12], 'int32'), { numHeads: 2, scale: 1 }, ATTENTION_KERNEL)).toThrow(/float32/);
  expect(attentionShape(info([2, 5, 24]), { numHeads: 2, scale: 0.5 }, ATTENTION_KERNEL)).toEqual({
    batch: 2,
    tokens: 5,
    heads: 2,
    dh: 4,
    width: 8,
    scale: 0.5,
    rank: 3,
  });
});

it('uses the kernel names core calls', () => {
  expect([ATTENTION_KERNEL, ATTENTION_GRAD_KERNEL]).toEqual([CORE_FWD, CORE_GRAD]);
});
