// Two error kinds, so a pipeline can tell a broken clip (skip it, count it) from a broken dataset (stop now).
import type { ClipFailureKind } from './sample.js';

/** One clip cannot be loaded (missing folder, unreadable image, undecodable video). Pipelines skip and count it. */
export class ClipLoadError extends Error {
  override readonly name = 'ClipLoadError';
  constructor(
    readonly clipId: string,
    readonly kind: ClipFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The dataset itself is wrong (unknown label, malformed split line, path escaping the root, empty split,
 * too many broken clips). Carries the file and line where known. Never skipped.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(file ? `${file}${line !== undefined ? `:${line}` : ''}: ${message}` : message, options);
  }
}

/** True for a `ClipLoadError`, also across two copies of the package (checks the name, not the prototype). */
export function isClipLoadError(error: unknown): error is ClipLoadError {
  return error instanceof Error && error.name === 'ClipLoadError' && 'clipId' in error;
}

/** True for a `DatasetError`, also across two copies of the package. */
export function isDatasetError(error: unknown): error is DatasetError {
  return error instanceof Error && error.name === 'DatasetError';
}
