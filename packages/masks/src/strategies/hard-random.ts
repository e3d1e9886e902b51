// `hard-random`: VideoMAE's random binary masks. `tube` hides the same spatial positions in every
// temporal slot, `random` hides tokens independently, `none` hides nothing. With `deterministic`
// (inference) it hides a fixed, spatially even tube pattern instead of a random draw.
import { gridTokens, makeHardMask, registerMask, type HardMaskRequest, type HardMaskStrategy, type MaskDefinition } from '@adatosk/core';
import * as z from 'zod/mini';
import { zodEnglish, zodOptions } from '../common/options.js';

export const hardRandomOptionsSchema = z.strictObject({
  /** `tube` (default): same positions in every slot; `random`: independent tokens; `none`: keep all. */
  mode: z._default(z.enum(['tube', 'random', 'none']), 'tube'),
});

export type HardRandomOptions = z.input<typeof hardRandomOptionsSchema>;

declare module '@adatosk/core' {
  interface MaskRegistry {
    'hard-random': HardRandomOptions;
  }
}

/** Ordered-dither (Bayer) rank of a patch: low ranks are spread evenly over the grid. */
function bayerValue(y: number, x: number, levels: number): number {
  // M_2n(y, x) = 4 * M_n(y mod n, x mod n) + M_1(y div n, x div n), M_1 = [[0, 2], [3, 1]]:
  // the lowest coordinate bits give the most significant base-4 digit.
  let value = 0;
  for (let level = 0; level < levels; level++) {
    const by = (y >> level) & 1;
    const bx = (x >> level) & 1;
    const digit = by === 0 ? (bx === 0 ? 0 : 2) : bx === 0 ? 3 : 1;
    value = value * 4 + digit;
  }
  return value;
}

/**
 * The spatial positions (row-major, `0..H*W-1`) hidden by the deterministic inference pattern:
 * the `round(ratio * N)` positions with the highest Bayer ranks, so the kept ones are spread evenly
 * (ratio 0.5 on an even grid is a checkerboard).
 */
export function evenTubePositions(height: number, width: number, ratio: number): Int32Array {
  const n = height * width;
  const hide = Math.round(ratio * n);
  let levels = 0;
  while (1 << levels < Math.max(height, width)) levels++;
  const order = Array.from({ length: n }, (_, i) => i);
  const rank = order.map((i) => bayerValue(Math.floor(i / width), i % width, levels));
  order.sort((a, b) => rank[a] - rank[b] || a - b);
  return Int32Array.from(order.slice(n - hide)).sort();
}

function sampleHardRandom(mode: 'tube' | 'random' | 'none', request: HardMaskRequest) {
  const { batch, grid, ratio, rng, deterministic } = request;
  const n = grid.height * grid.width;
  const tokens = gridTokens(grid);
  const data = new Uint8Array(batch * tokens);
  if (mode !== 'none') {
    if (deterministic) {
      const positions = evenTubePositions(grid.height, grid.width, ratio);
      for (let b = 0; b < batch; b++)
        for (let tau = 0; tau < grid.frames; tau++) for (const pos of positions) data[b * tokens + tau * n + pos] = 1;
    } else if (mode === 'tube') {
      const hide = Math.round(ratio * n);
      for (let b = 0; b < batch; b++) {
        const positions = rng.choose(n, hide);
        for (let tau = 0; tau < grid.frames; tau++) for (const pos of positions) data[b * tokens + tau * n + pos] = 1;
      }
    } else {
      const hide = Math.round(ratio * tokens);
      for (let b = 0; b < batch; b++) for (const t of rng.choose(tokens, hide)) data[b * tokens + t] = 1;
    }
  }
  return makeHardMask(batch, tokens, data, `hard mask 'hard-random' (${mode})`);
}

/** Creates the `hard-random` strategy directly (without the registry). */
export function hardRandomMask(options: HardRandomOptions = {}): HardMaskStrategy {
  const { mode } = hardRandomOptionsSchema.parse(options, zodEnglish);
  return { kind: 'hard', name: 'hard-random', sample: (request) => sampleHardRandom(mode, request) };
}

export const hardRandomDefinition: MaskDefinition<HardRandomOptions, z.output<typeof hardRandomOptionsSchema>> = {
  name: 'hard-random',
  kind: 'hard',
  description: "Random binary mask: 'tube' (default, same positions in every slot), 'random' or 'none'; even tube pattern at inference.",
  parseOptions: zodOptions(hardRandomOptionsSchema),
  create: (options) => hardRandomMask(options),
};

registerMask(hardRandomDefinition);
