// Helpers around the HardMask value: build it with checks, turn it into gather indices or a tensor.
import * as tf from '@tensorflow/tfjs-core';
import type { HardMask, MaskGrid } from './types.js';

/** Number of tokens `T' * N` in a grid. */
export function gridTokens(grid: MaskGrid): number {
  return grid.frames * grid.height * grid.width;
}

/** Checks a grid is made of positive integers; `what` names it in the error. */
export function assertGrid(grid: MaskGrid, what = 'grid'): void {
  for (const key of ['frames', 'height', 'width'] as const) {
    const v = grid?.[key];
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`${what}.${key} must be a positive integer (tokens, not pixels), got ${String(v)}.`);
    }
  }
}

/**
 * Builds a {@link HardMask} from 0/1 data (`batch * tokens`), checking that every sample hides the
 * same number of tokens and at least one token stays visible. `source` names the producer in errors.
 */
export function makeHardMask(batch: number, tokens: number, data: Uint8Array, source = 'hard mask'): HardMask {
  if (data.length !== batch * tokens) {
    throw new RangeError(`${source}: expected ${batch}x${tokens} = ${batch * tokens} values, got ${data.length}.`);
  }
  let hidden = -1;
  for (let b = 0; b < batch; b++) {
    let count = 0;
    for (let i = b * tokens; i < (b + 1) * tokens; i++) {
      const v = data[i];
      if (v !== 0 && v !== 1) throw new RangeError(`${source}: values must be 0 or 1, got ${v} at [${b}, ${i - b * tokens}].`);
      count += v;
    }
    if (hidden < 0) hidden = count;
    else if (count !== hidden) {
      throw new RangeError(
        `${source}: every sample must hide the same number of tokens (sample 0 hides ${hidden}, sample ${b} hides ${count}).`,
      );
    }
  }
  if (batch > 0 && hidden >= tokens) {
    throw new RangeError(`${source}: all ${tokens} tokens are hidden; at least one must stay visible (lower the ratio).`);
  }
  return { batch, tokens, hidden: Math.max(hidden, 0), data };
}

/** Visible and hidden token indices per sample, ascending, row-major `[B, V]` and `[B, H]`. */
export interface HardMaskIndices {
  visible: Int32Array;
  hidden: Int32Array;
  visibleCount: number;
  hiddenCount: number;
}

export function hardMaskIndices(mask: HardMask): HardMaskIndices {
  const visibleCount = mask.tokens - mask.hidden;
  const visible = new Int32Array(mask.batch * visibleCount);
  const hidden = new Int32Array(mask.batch * mask.hidden);
  for (let b = 0; b < mask.batch; b++) {
    let v = b * visibleCount;
    let h = b * mask.hidden;
    for (let i = 0; i < mask.tokens; i++) {
      if (mask.data[b * mask.tokens + i]) hidden[h++] = i;
      else visible[v++] = i;
    }
  }
  return { visible, hidden, visibleCount, hiddenCount: mask.hidden };
}

/** The mask as a `[batch, tokens]` tensor (`dtype` bool for HF-style `bool_masked_pos`, or float32). */
export function hardMaskToTensor(mask: HardMask, dtype: 'bool' | 'float32' | 'int32' = 'float32'): tf.Tensor2D {
  return tf.tensor2d(mask.data, [mask.batch, mask.tokens], dtype);
}
