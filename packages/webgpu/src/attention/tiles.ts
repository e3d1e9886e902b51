// Tile sizes of the attention kernels, from the head width and the device's workgroup-memory limit.
// Every pass runs 64 threads per workgroup; what changes is how many keys (forward, dQ pass) or queries
// (dK/dV pass) one workgroup-memory tile holds. Pure: the tests check the choice without a GPU.

/** Threads per workgroup of every attention pass. */
export const THREADS = 64;

/** The widest head slice one backward thread keeps in registers, in vec4s (32 floats). */
const SLICE_VEC4 = 8;

/** The WebGPU default for maxComputeWorkgroupStorageSize (every adapter offers at least this). */
export const DEFAULT_WORKGROUP_BYTES = 16384;

export interface AttentionTiles {
  /** Head width in floats, and in vec4s (rounded up). */
  dh: number;
  dh4: number;
  /** Forward: query rows per workgroup (one per thread) and keys per workgroup-memory tile. */
  fwdRows: number;
  fwdKeys: number;
  /**
   * Backward: threads sharing one row (each keeps a slice of `slice4` vec4s of the head in registers:
   * q, dO and dQ in the dQ pass; k, v, dK and dV in the dK/dV pass), so a 64-wide head does not spill.
   */
  split: number;
  slice4: number;
  /** dQ pass: query rows per workgroup and keys per tile. */
  dqRows: number;
  dqKeys: number;
  /** dK/dV pass: key rows per workgroup and queries per tile. */
  dkvRows: number;
  dkvQueries: number;
}

const CANDIDATES = [32, 16, 8, 4, 2, 1];

function largest(fits: (n: number) => boolean, what: string): number {
  const n = CANDIDATES.find(fits);
  if (n === undefined) throw new Error(`@adatosk/webgpu attention: ${what} does not fit the device's workgroup memory`);
  return n;
}

/** Bytes of workgroup memory each pass uses with these tiles (what `chooseAttentionTiles` bounds). */
export function workgroupBytes(t: AttentionTiles): { forward: number; dq: number; dkv: number } {
  const exchange = (rows: number) => (t.split > 1 ? 2 * rows * THREADS * 4 : 0);
  return {
    forward: 2 * t.fwdKeys * t.dh4 * 16 + t.fwdKeys * t.fwdRows * 4,
    dq: 2 * t.dqKeys * t.dh4 * 16 + Math.max(exchange(t.dqKeys), t.split > 1 ? THREADS * 4 : 0),
    dkv: 2 * t.dkvQueries * t.dh4 * 16 + 2 * t.dkvQueries * 4 + exchange(t.dkvQueries),
  };
}

/**
 * Tiles for head width `dh` under `maxWorkgroupBytes` of workgroup memory: the most keys (queries) per
 * tile, up to 32, that fit. A 64-wide head on a 32 KiB device: forward 64 rows x 32 keys (24 KiB),
 * dQ 32 rows x 32 keys, dK/dV 32 keys x 16 queries, 2 threads per row.
 */
export function chooseAttentionTiles(dh: number, maxWorkgroupBytes: number): AttentionTiles {
  if (!Number.isInteger(dh) || dh < 1) throw new Error(`@adatosk/webgpu attention: head width ${dh} must be a positive integer`);
  const dh4 = Math.ceil(dh / 4);
  const split = Math.max(1, Math.min(THREADS, 2 ** Math.ceil(Math.log2(Math.ceil(dh4 / SLICE_VEC4)))));
  const slice4 = Math.ceil(dh4 / split);
  const rows = THREADS / split;
  const base: AttentionTiles = {
    dh,
    dh4,
    fwdRows: THREADS,
    fwdKeys: 1,
    split,
    slice4,
    dqRows: rows,
    dqKeys: 1,
    dkvRows: rows,
    dkvQueries: 1,
  };
  const fits = (patch: Partial<AttentionTiles>, pass: 'forward' | 'dq' | 'dkv') =>
    workgroupBytes({ ...base, ...patch })[pass] <= maxWorkgroupBytes;
  return {
    ...base,
    fwdKeys: largest((n) => fits({ fwdKeys: n }, 'forward'), `the forward pass at head width ${dh}`),
    dqKeys: largest((n) => fits({ dqKeys: n }, 'dq'), `the dQ pass at head width ${dh}`),
    dkvQueries: largest((n) => fits({ dkvQueries: n }, 'dkv'), `the dK/dV pass at head width ${dh}`),
  };
}

let budgetOverride: number | undefined;

/** Test hook: pretend the device has this much workgroup memory (undefined: use the device's limit). */
export function setAttentionWorkgroupBudget(bytes: number | undefined): void {
  budgetOverride = bytes;
}

/** The workgroup-memory budget for a device limit (the test override when set, never above the limit). */
export function workgroupBudget(deviceLimit: number): number {
  return budgetOverride === undefined ? deviceLimit : Math.min(budgetOverride, deviceLimit);
}
