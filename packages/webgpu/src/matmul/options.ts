// Process-wide switches of the matmul kernels (benchmarks compare, tests force paths). On globalThis under
// a Symbol.for key so two copies of this package agree.
import type { TileName } from './tiles.js';

/** A plan forced for every product (tests, tuning): a tile and split-K factor, or the reduction kernel. */
export type PlanOverride = { kind: 'tiled'; tile: TileName; splitK?: number } | { kind: 'dot' };

export interface MatMulOptions {
  /**
   * 'auto': our kernel where the planner expects it to win, TF.js's elsewhere; 'ours': ours wherever it
   * applies (tests); 'tfjs': always TF.js's (comparisons).
   */
  mode: 'auto' | 'ours' | 'tfjs';
  /** In 'auto', products below this many multiply-adds stay with TF.js (both are launch-bound there). */
  minMacs: number;
  /** Use subgroup operations where the device has the `subgroups` feature. */
  subgroups: boolean;
  /** Forces a plan where it applies (tests, tuning); undefined: the planner decides. */
  plan?: PlanOverride;
}

const DEFAULTS: MatMulOptions = { mode: 'auto', minMacs: 1 << 15, subgroups: true };
const KEY = Symbol.for('@adatosk/webgpu/matmul-options');

function store(): MatMulOptions {
  const g = globalThis as unknown as Record<symbol, MatMulOptions | undefined>;
  return (g[KEY] ??= { ...DEFAULTS });
}

/** The options in effect. */
export function getMatMulOptions(): Readonly<MatMulOptions> {
  return store();
}

/** Changes some options; returns the previous ones (pass them back to restore). */
export function setMatMulOptions(options: Partial<MatMulOptions>): MatMulOptions {
  const s = store();
  const before = { ...s };
  if (options.mode !== undefined && !['auto', 'ours', 'tfjs'].includes(options.mode))
    throw new Error(`setMatMulOptions: mode '${options.mode}' is not one of auto, ours, tfjs`);
  if (options.minMacs !== undefined && !(options.minMacs >= 0))
    throw new Error(`setMatMulOptions: minMacs must be >= 0, got ${options.minMacs}`);
  Object.assign(s, options);
  if ('plan' in options && options.plan === undefined) delete s.plan;
  return before;
}

/** Back to the defaults. */
export function resetMatMulOptions(): void {
  const s = store();
  for (const k of Object.keys(s)) delete (s as unknown as Record<string, unknown>)[k];
  Object.assign(s, DEFAULTS);
}
