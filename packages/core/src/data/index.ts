// Dataset contract: sample, batch and failure types, shared error classes, normalisation constants.
export type {
  ClipMode,
  ClipShape,
  ClipSample,
  ClipLoadOptions,
  ClipDataset,
  ClipBatch,
  ClipFailureKind,
  ClipFailure,
  SkipReport,
  ClipPassOptions,
  ClipLoader,
} from './sample.js';
export { ClipLoadError, DatasetError, isClipLoadError, isDatasetError } from './errors.js';
export { IMAGENET_MEAN, IMAGENET_STD } from './normalize.js';
