// Runs clip work on the calling thread: what datasets' `load` does without a worker pool, and the
// reference the worker results are tested against. Node only.
import { ClipLoadError } from '@adatosk/core';
import { FrameError, executeClipWork, executeEncodeWork } from './execute.js';
import type { ClipExecutor, ClipWork, EncodeWork, EncodedClip } from './types.js';

function clipError(error: unknown, clipId: string): unknown {
  return error instanceof FrameError ? new ClipLoadError(clipId, error.kind, error.message, { cause: error }) : error;
}

export const inProcessExecutor: ClipExecutor = {
  async run(work: ClipWork, target: Float32Array | Int32Array): Promise<void> {
    try {
      await executeClipWork(work, target);
    } catch (error) {
      throw clipError(error, work.id);
    }
  },
  async encode(work: EncodeWork): Promise<EncodedClip> {
    try {
      return await executeEncodeWork(work);
    } catch (error) {
      throw clipError(error, work.id);
    }
  },
};
