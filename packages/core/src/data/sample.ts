// Dataset contract: what every clip source (synthetic, DFEW, FERV39K, MAFW, user folders) hands to training.
// Pure types plus two small error classes; no tensors here, so any backend (or none) can consume them.

/** `train` draws a random temporal window and random augmentation; `test` is deterministic, one of `testViews` views. */
export type ClipMode = 'train' | 'test';

/** Shape of one clip: frames, height, width, RGB. */
export type ClipShape = [frames: number, height: number, width: number, channels: 3];

/** One decoded, augmented, normalised clip. */
export interface ClipSample {
  /** Stable clip id within its dataset (DFEW `02522`, FERV39K `Action/Sad/0010`, MAFW `03747`, synthetic `train-000042`). */
  id: string;
  /** 0-based class index into `ClipDataset.classes`. */
  label: number;
  /** `[T,H,W,3]` row-major, ImageNet-normalised: `(rgb/255 - mean) / std` with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
  frames: Float32Array;
  shape: ClipShape;
  /** Ground-truth key frames (indices into the T sampled frames), only where known (the synthetic dataset). */
  apexFrames?: number[];
  /** Indices of the sampled frames in the source clip (length T), useful for debugging and apex analysis. */
  sourceFrames?: number[];
}

/** Per-load options. The randomness of a `train` load derives from (seed, epoch, index) only, so worker order never matters. */
export interface ClipLoadOptions {
  mode: ClipMode;
  /** Epoch number for `train` randomness (default 0). */
  epoch?: number;
  /** Test view in `[0, testViews)` (default 0); ignored in `train`. */
  view?: number;
  /** Overrides the dataset's seed. */
  seed?: number;
  /**
   * A buffer of length T*H*W*3 to write the clip into and return as `frames` (loaders pass pooled buffers to
   * avoid allocating and page-faulting megabytes per clip). Datasets may ignore it and allocate.
   */
  target?: Float32Array;
}

/** A finite, indexable set of clips. Implementations: `@adatosk/datasets` (`createDataset`, `createSyntheticDataset`). */
export interface ClipDataset {
  /** Registry name (`synthetic`, `dfew`, `ferv39k`, `mafw`, `folder`, `list`) plus split, e.g. `dfew/fold1/train`. */
  readonly name: string;
  /** Class names in label order. */
  readonly classes: readonly string[];
  /** Number of clips. */
  readonly length: number;
  /** Clip ids, index-aligned with `labels`. */
  readonly ids: readonly string[];
  /** 0-based labels, index-aligned with `ids`. */
  readonly labels: readonly number[];
  /** Frames per sampled clip (T). */
  readonly numFrames: number;
  /** Output frame size (H = W). */
  readonly size: number;
  /** Number of deterministic test views (MAE-DFER: 2 temporal windows, start and end). */
  readonly testViews: number;
  /** Default seed of the dataset's randomness. */
  readonly seed: number;
  /** Label of clip `i`. */
  label(i: number): number;
  /** Decodes and augments clip `i`. Rejects with `ClipLoadError` when only this clip is broken (the pipeline skips it). */
  load(i: number, options: ClipLoadOptions): Promise<ClipSample>;
}

/** A batch of clips, stacked. */
export interface ClipBatch {
  /** `[B,T,H,W,3]` row-major, ImageNet-normalised. */
  clips: Float32Array;
  shape: [batch: number, frames: number, height: number, width: number, channels: 3];
  labels: Int32Array;
  ids: string[];
  /** Dataset indices of the clips in this batch. */
  indices: number[];
  /** Ground-truth apex frames per clip where the dataset knows them. */
  apexFrames?: (number[] | undefined)[];
  /** Test view of every clip in this batch (test mode only). */
  view?: number;
}

/** Why one clip was skipped. */
export type ClipFailureKind = 'missing' | 'unreadable' | 'decode' | 'empty';

/** One skipped clip. */
export interface ClipFailure {
  index: number;
  id: string;
  kind: ClipFailureKind;
  message: string;
}

/** What a loader skipped so far; `failures` names every skipped clip. */
export interface SkipReport {
  attempted: number;
  loaded: number;
  skipped: number;
  failures: ClipFailure[];
  /** Skipped / attempted. */
  failureFraction: number;
}

/** Options of one pass over a loader. */
export interface ClipPassOptions {
  /** Epoch for shuffling and train randomness (default 0). */
  epoch?: number;
  /** Test view (test loaders only, default 0). */
  view?: number;
}

/**
 * Batched, prefetching view of a `ClipDataset` (implemented by `createLoader` in `@adatosk/datasets`).
 * Broken clips are skipped and reported; too many of them stop the pass with a `DatasetError`.
 */
export interface ClipLoader {
  readonly dataset: ClipDataset;
  readonly mode: ClipMode;
  readonly batchSize: number;
  /** Batches per pass if nothing is skipped. */
  readonly numBatches: number;
  /** One pass: shuffled by (seed, epoch) in train mode, in dataset order for test view `view`. */
  batches(options?: ClipPassOptions): AsyncGenerator<ClipBatch>;
  /** Everything skipped so far, over all passes. */
  report(): SkipReport;
  /**
   * Optional: hands a batch's `clips` buffer back for reuse by later batches. Call it only once nothing reads
   * the buffer any more (e.g. after a backend copied it; tfjs' CPU backend keeps the array it is given).
   */
  release?(batch: ClipBatch): void;
}
