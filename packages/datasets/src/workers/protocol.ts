// Messages between the main thread and pipeline workers. Structured-cloneable.
import type { ClipFailureKind } from '@adatosk/core';
import type { ClipWork, EncodeWork, EncodedClip } from '../work/types.js';

/** A slot of a SharedArrayBuffer the worker writes the clip into (no copy back). */
export interface SharedTarget {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
  dtype: 'float32' | 'int32';
}

export type WorkerRequest =
  | { id: number; type: 'run'; work: ClipWork; target?: SharedTarget; length: number }
  | { id: number; type: 'encode'; work: EncodeWork };

export interface WorkerFailure {
  /** Set for a broken clip (becomes a ClipLoadError); absent for a bug. */
  kind?: ClipFailureKind;
  message: string;
  stack?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; output?: Float32Array | Int32Array; encoded?: EncodedClip }
  | { id: number; ok: false; error: WorkerFailure };
