// Fast matmul: wraps a backend's own BatchMatMul/_FusedMatMul kernels so transposed operands are
// transposed explicitly (with the backend's own Transpose kernel) before the plain product.
// Why: tfjs-backend-wasm 4.22 runs `transposeA` ~17x and `transposeB` ~10x slower than the plain
// product while an explicit rank-3 transpose is nearly free, and backprop through every matmul
// takes those paths. Backend-agnostic: it only looks kernels up in tfjs-core's registry.
import {
  BatchMatMul,
  Concat,
  _FusedMatMul,
  GatherV2,
  Reshape,
  Transpose,
  getKernel,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** Kernels that `installFastMatMul` can wrap. */
export const FAST_MATMUL_KERNELS = [BatchMatMul, _FusedMatMul] as const;
export type FastMatMulKernel = (typeof FAST_MATMUL_KERNELS)[number];

export interface FastMatMulInstall {
  backendName: string;
  /** Kernels wrapped by this backend (BatchMatMul always; _FusedMatMul when the backend has one). */
  kernels: FastMatMulKernel[];
  /** Restores the backend's original kernels (same as `uninstallFastMatMul(backendName)`). */
  uninstall: () => void;
}

export interface FastMatMulOptions {
  /** Which kernels to wrap; default both (those the backend registers). */
  kernels?: readonly FastMatMulKernel[];
  /**
   * Run a batched BatchMatMul (e.g. attention's [B, heads, L, L] products) as one plain 2-D product per
   * batch item. Default: true for 'wasm', whose kernel only uses XNNPACK for a batch of 1 and otherwise
   * falls back to a loop ~20-40x slower (measured 0.4 GFLOP/s on [6, 800, 64] x [6, 64, 800]).
   */
  splitBatches?: boolean;
}

const WRAPPED = Symbol.for('adatosk.fastMatMul.wrapped');
type Originals = Map<string, Map<FastMatMulKernel, KernelConfig>>;

// On globalThis so two copies of @adatosk/core share one record of what they replaced.
function originals(): Originals {
  const g = globalThis as unknown as Record<symbol, Originals | undefined>;
  const key = Symbol.for('adatosk.fastMatMul.originals');
  return (g[key] ??= new Map());
}

function isWrapped(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config.kernelFunc as unknown as Record<symbol, unknown>)[WRAPPED] === true;
}

/** True when `installFastMatMul(backendName)` is in effect for BatchMatMul. */
export function isFastMatMulInstalled(backendName: string): boolean {
  return isWrapped(getKernel(BatchMatMul, backendName));
}

/**
 * Wraps `backendName`'s BatchMatMul (and _FusedMatMul) so that `transposeA`/`transposeB` are served by
 * an explicit transpose + the plain product. Idempotent; call after the backend package is imported
 * (its kernels must be registered), before or after `tf.setBackend`.
 */
export function installFastMatMul(backendName: string, options: FastMatMulOptions = {}): FastMatMulInstall {
  const transpose = getKernel(Transpose, backendName);
  const batchMatMul = getKernel(BatchMatMul, backendName);
  if (batchMatMul === undefined || transpose === undefined) {
    const missing = batchMatMul === undefined ? BatchMatMul : Transpose;
    throw new Error(
      `installFastMatMul('${backendName}'): no '${missing}' kernel is registered for backend '${backendName}'. ` +
        `Import the backend package (e.g. '@tensorflow/tfjs-backend-${backendName}') before installing the fast matmul.`,
    );
  }
  const reshape = getKernel(Reshape, backendName);
  const gather = getKernel(GatherV2, backendName);
  const concat = getKernel(Concat, backendName);
  const split =
    (options.splitBatches ?? backendName === 'wasm') && reshape && gather && concat
      ? { reshape: reshape.kernelFunc, gather: gather.kernelFunc, concat: concat.kernelFunc }
      : undefined;
  const wanted = options.kernels ?? FAST_MATMUL_KERNELS;
  const saved = originals().get(backendName) ?? new Map<FastMatMulKernel, KernelConfig>();
  for (const kernelName of wanted) {
    const current = getKernel(kernelName, backendName);
    if (current === undefined || isWrapped(current)) continue;
    saved.set(kernelName, current);
    unregisterKernel(kernelName, backendName);
    registerKernel({
      ...current,
      kernelFunc: wrapMatMul(current.kernelFunc, transpose.kernelFunc, reshape?.kernelFunc, kernelName === BatchMatMul ? split : undefined),
    });
  }
  originals().set(backendName, saved);
  return {
    backendName,
    kernels: FAST_MATMUL_KERNELS.filter((k) => isWrapped(getKernel(k, backendName))),
    uninstall: () => uninstallFastMatMul(backendName),
  };
}

/** Restores the kernels `installFastMatMul` replaced; returns false when nothing was installed. */
export function uninstallFastMatMul(backendName: string): boolean {
  const saved = originals().get(backendName);
  if (saved === undefined || saved.size === 0) return false;
  for (const [kernelName, config] of saved) {
    if (isWrapped(getKernel(kernelName, backendName))) unregisterKernel(kernelName, backendName);
    if (getKernel(kernelName, backendName) === undefined) registerKernel(config);
  }
  originals().delete(backendName);
  return true;
}

type KernelArgs = Parameters<KernelFunc>[0];

interface SplitKernels {
  reshape: KernelFunc;
  gather: KernelFunc;
  concat: KernelFunc;
}

/** The wasm backend's heap access (feature-detected; no backend is imported). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function heapOf(backend: KernelBackend): HeapBackend | undefined {
  const b = backend as unknown as Partial<HeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' ? (b as HeapBackend) : undefined;
}

function batchOf(x: TensorInfo): number {
  return x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

function wrapMatMul(plain: KernelFunc, transpose: KernelFunc, reshape: KernelFunc | undefined, split?: SplitKernels): KernelFunc {
  const wrapped: KernelFunc = (args: KernelArgs) => {
    const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    const batched = split !== undefined && Math.max(batchOf(args.inputs.a!), batchOf(args.inputs.b!)) > 1;
    if (!attrs?.transposeA && !attrs?.transposeB && !batched) return plain(args);
    const backend = args.backend as KernelBackend;
    const temps: TensorInfo[] = [];
    try {
      const inputs = { ...args.inputs };
      let { transposeA = false, transposeB = false } = attrs;
      if (transposeA && canSwap(inputs.a!)) {
        inputs.a = swapLastTwo(inputs.a!, backend, transpose, reshape, temps);
        transposeA = false;
      }
      if (transposeB && canSwap(inputs.b!)) {
        inputs.b = swapLastTwo(inputs.b!, backend, transpose, reshape, temps);
        transposeB = false;
      }
      if (batched && !transposeA && !transposeB) {
        const out = perBatch(plain, inputs.a!, inputs.b!, backend, split!, attrs, temps);
        if (out) return out;
      }
      return plain({ ...args, inputs, attrs: { ...attrs, transposeA, transposeB } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped;
}

// a @ b with batch dims as one plain 2-D product per batch item (a batch of 1 on either side broadcasts).
// Returns undefined (caller uses the kernel as is) for other broadcasts. Intermediates go to `temps`.
function perBatch(
  plain: KernelFunc,
  a: TensorInfo,
  b: TensorInfo,
  backend: KernelBackend,
  k: SplitKernels,
  attrs: NamedAttrMap,
  temps: TensorInfo[],
): TensorInfo | undefined {
  const lead = (x: TensorInfo) => x.shape.slice(0, -2);
  const [ba, bb] = [batchOf(a), batchOf(b)];
  if (ba !== bb && ba !== 1 && bb !== 1) return undefined;
  if (ba === bb && lead(a).join() !== lead(b).join()) return undefined;
  const batchShape = ba >= bb ? lead(a) : lead(b);
  const batch = Math.max(ba, bb);
  const [m, inner] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const keep = (out: TensorInfo | TensorInfo[]) => {
    const t = single(out);
    temps.push(t);
    return t;
  };
  const a3 = keep(k.reshape({ inputs: { x: a }, backend, attrs: { shape: [ba, m, inner] } }));
  const b3 = keep(k.reshape({ inputs: { x: b }, backend, attrs: { shape: [bb, inner, n] } }));
  // One batch item as [1, rows, cols]. wasm: a direct copy inside its heap (its Slice kernel first reads
  // the WHOLE input back into a JS array, per item; its Gather copies element by element). Elsewhere GatherV2.
  const heap = heapOf(backend);
  const item = (x: TensorInfo, i: number, rows: number, cols: number) => {
    if (heap) {
      const out = heap.makeOutput([1, rows, cols], 'float32');
      temps.push(out);
      // Views taken after the allocation: growing the heap replaces its buffer.
      heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(x).subarray(i * rows * cols, (i + 1) * rows * cols));
      return out;
    }
    const index: TensorInfo = { dataId: backend.write(new Int32Array([i]), [1], 'int32'), shape: [1], dtype: 'int32' };
    temps.push(index);
    return keep(k.gather({ inputs: { x, indices: index }, backend, attrs: { axis: 0, batchDims: 0 } }));
  };
  const parts: TensorInfo[] = [];
  for (let i = 0; i < batch; i++) {
    const ai = ba === 1 ? a3 : item(a3, i, m, inner);
    const bi = bb === 1 ? b3 : item(b3, i, inner, n);
    parts.push(keep(plain({ inputs: { a: ai, b: bi }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } })));
  }
  const joined = keep(k.concat({ inputs: parts as unknown as KernelArgs['inputs'], backend, attrs: { axis: 0 } }));
  // Not in `temps`: this is the result (a reshape shares `joined`'s data and holds its own reference).
  return single(k.reshape({ inputs: { x: joined }, backend, attrs: { shape: [...batchShape, m, n] } }));
}

// A matrix with a unit dimension is left to the kernel's own transposed path: it is cheap there, and
// transposing it is a reshape that shares the data id, which wasm's XNNPACK operator cache (keyed by
// the weights' id, not their shape) would then confuse with the untransposed operand.
function canSwap(x: TensorInfo): boolean {
  const rank = x.shape.length;
  return rank >= 2 && x.shape[rank - 2] > 1 && x.shape[rank - 1] > 1;
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  return Array.isArray(out) ? out[0] : out;
}

// Swaps the last two axes with rank-<=3 transposes only (higher ranks are slow on wasm). Every
// intermediate is pushed to `temps` for the caller to release (reshapes hold a reference too).
function swapLastTwo(
  x: TensorInfo,
  backend: KernelBackend,
  transpose: KernelFunc,
  reshape: KernelFunc | undefined,
  temps: TensorInfo[],
): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const lead = x.shape.slice(0, -2);
  const outShape = [...lead, cols, rows];
  const view = (t: TensorInfo, shape: number[]): TensorInfo => {
    const out = single(reshape!({ inputs: { x: t }, backend, attrs: { shape } }));
    temps.push(out);
    return out;
  };
  const permute = (t: TensorInfo, perm: number[]): TensorInfo => {
    const out = single(transpose({ inputs: { x: t }, backend, attrs: { perm } }));
    temps.push(out);
    return out;
  };
  if (rank === 2) return permute(x, [1, 0]);
  if (rank === 3 || reshape === undefined) {
    const perm = [...lead.map((_, i) => i), rank - 1, rank - 2];
    return permute(x, perm);
  }
  const batch = lead.reduce((p, d) => p * d, 1);
  const t = permute(view(x, [batch, rows, cols]), [0, 2, 1]);
  return view(t, outShape);
}
