// Temporal neighbours of visible tokens: for each token, the visible token at the same spatial
// position in the nearest earlier slot (predecessor) and in the nearest later slot (successor).
import type { MaskGrid } from './types.js';

/** Flat indices into the `[B*V]` token rows (`b * V + j`), `-1` where there is none. */
export interface TemporalNeighbours {
  predecessor: Int32Array;
  successor: Int32Array;
  /** Longest predecessor chain in any clip (0 when no token has a predecessor). */
  maxDepth: number;
}

/**
 * Computes predecessor/successor tables from the visible token indices (`[B, V]` row-major, each
 * `tau * N + n`). With a tube mask the predecessor is always the token of slot `tau - 1`.
 */
export function temporalNeighbours(tokenIndices: Int32Array, batch: number, grid: MaskGrid): TemporalNeighbours {
  const n = grid.height * grid.width;
  const total = grid.frames * n;
  const visible = tokenIndices.length / batch;
  if (!Number.isInteger(visible)) {
    throw new RangeError(`temporalNeighbours: ${tokenIndices.length} token indices do not split into ${batch} clips.`);
  }
  const predecessor = new Int32Array(tokenIndices.length).fill(-1);
  const successor = new Int32Array(tokenIndices.length).fill(-1);
  const depth = new Int32Array(tokenIndices.length);
  const slotOf = new Int32Array(total);
  let maxDepth = 0;
  for (let b = 0; b < batch; b++) {
    slotOf.fill(-1);
    const base = b * visible;
    for (let j = 0; j < visible; j++) {
      const t = tokenIndices[base + j];
      if (!Number.isInteger(t) || t < 0 || t >= total) {
        throw new RangeError(`temporalNeighbours: token index ${t} at [${b}, ${j}] is outside 0..${total - 1} for this grid.`);
      }
      if (slotOf[t] >= 0) throw new RangeError(`temporalNeighbours: token ${t} appears twice in clip ${b}.`);
      slotOf[t] = base + j;
    }
    // Walk each spatial position through time; consecutive visible tokens are neighbours.
    for (let pos = 0; pos < n; pos++) {
      let prev = -1;
      for (let tau = 0; tau < grid.frames; tau++) {
        const row = slotOf[tau * n + pos];
        if (row < 0) continue;
        if (prev >= 0) {
          predecessor[row] = prev;
          successor[prev] = row;
          depth[row] = depth[prev] + 1;
          if (depth[row] > maxDepth) maxDepth = depth[row];
        }
        prev = row;
      }
    }
  }
  return { predecessor, successor, maxDepth };
}
