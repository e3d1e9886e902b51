// The op layer between the model and fused kernels. The model calls a fused op by kernel name; when the
// active backend has a kernel registered under that name (e.g. @adatosk/webgpu on 'webgpu') the engine
// runs it, with the gradient registered for that name in core; otherwise the op's composite of plain
// tfjs ops runs, so CPU and WASM compute exactly what they did before fused kernels existed.
import * as tf from '@tensorflow/tfjs-core';

const STATE_KEY = Symbol.for('@adatosk/core/fused-ops');

interface FusedState {
  /** Global switch (benchmarks and debugging compare fused with composite). */
  enabled: boolean;
  /** Kernel names turned off one by one. */
  disabled: Set<string>;
}

function state(): FusedState {
  const g = globalThis as unknown as Record<symbol, FusedState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    const env = typeof process !== 'undefined' ? process.env?.ADATOSK_FUSED : undefined;
    s = { enabled: env !== '0', disabled: new Set() };
    g[STATE_KEY] = s;
  }
  return s;
}

/**
 * Turns fused kernels on or off: all of them (`setFusedOps(false)`), or some by kernel name
 * (`setFusedOps(false, ['AdaToskAttention'])`; `'AdaToskLeanBlock'` turns off only the whole-block op, so the
 * block runs its fused kernels op by op). `ADATOSK_FUSED=0` in the environment starts with all off.
 */
export function setFusedOps(enabled: boolean, kernelNames?: readonly string[]): void {
  const s = state();
  if (!kernelNames) {
    s.enabled = enabled;
    if (enabled) s.disabled.clear();
    return;
  }
  for (const k of kernelNames) enabled ? s.disabled.delete(k) : s.disabled.add(k);
}

/** Whether `name` (a kernel, or a fused op made of kernels such as the lean block) is switched on; see `setFusedOps`. */
export function fusedOpEnabled(name: string): boolean {
  const s = state();
  return s.enabled && !s.disabled.has(name);
}

/** Whether `kernelName` runs as a fused kernel on the active backend right now. */
export function usesFusedKernel(kernelName: string): boolean {
  return fusedOpEnabled(kernelName) && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/**
 * Runs kernel `kernelName` on `inputs`/`attrs` when the active backend has it (its registered gradient
 * then applies), else `composite()`. The composite must compute the same function.
 */
export function fusedOrComposite<T extends tf.Tensor | tf.Tensor[]>(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap,
  composite: () => T,
): T {
  if (!usesFusedKernel(kernelName)) return composite();
  return tf.engine().runKernel(kernelName, inputs, attrs) as unknown as T;
}
