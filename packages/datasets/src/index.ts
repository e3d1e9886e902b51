// @adatosk/datasets (Node): DFEW, FERV39K, MAFW, class-per-folder and list-file datasets on top of the
// browser-safe synthetic entry, a dataset check, a synthetic-layout writer and the pipeline benchmark.
import { registerDataset } from './registry.js';
import { dfewDataset, openDfew, type DfewOptions } from './sets/dfew.js';
import { ferv39kDataset, openFerv39k, type Ferv39kOptions } from './sets/ferv39k.js';
import { mafwDataset, openMafw, type MafwOptions } from './sets/mafw.js';
import { folderDataset, openFolder, type FolderOptions } from './sets/folder.js';
import { listDataset, openList, type ListOptions } from './sets/list.js';

// Everything the browser-safe entry exports, named one by one.
export {
  SYNTHETIC_CLASSES,
  APEX_FACES,
  NEUTRAL_FACE,
  CLASS_DYNAMICS,
  blendExpression,
  renderSyntheticClip,
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_KEY_MOMENT,
  createSyntheticDataset,
  syntheticDataset,
  Canvas,
  maeDferTrainIndices,
  maeDferTestIndices,
  segmentTrainIndices,
  segmentTestIndices,
  sampleIndices,
  DEFAULT_AUGMENT,
  FULL_FRAME,
  drawAugment,
  drawCrop,
  normalizeFrame,
  denormalize,
  normalizationTable,
  normalizeWithTable,
  saturationMatrix,
  saturatePixels,
  flipHorizontal,
  createLoader,
  createDataset,
  createDatasetFromSpec,
  registerDataset,
  listDatasets,
  getDataset,
  hasDataset,
  unregisterDataset,
  resetDatasetRegistry,
  checkDatasetOptions,
  unknownDatasetMessage,
  foldList,
  augmentFrame,
  planFrame,
  frameMap,
  axisTable,
  augmentOnDevice,
  unpackPixels,
  packPixels,
  unpackPixelsCpu,
  isPlannedDataset,
} from './synthetic/index.js';
export type {
  SyntheticClass,
  Expression,
  SyntheticClip,
  SyntheticClipOptions,
  SyntheticDataset,
  SyntheticDatasetOptions,
  FaceIdentity,
  FacePose,
  SamplingKind,
  SamplingOptions,
  AugmentOptions,
  AugmentParams,
  CropBox,
  CropOptions,
  ColorFactors,
  JitterOptions,
  LoaderOptions,
  DatasetRegistry,
  DatasetName,
  DatasetOptionsOf,
  DatasetFacts,
  DatasetDefinition,
  DatasetInfo,
  UncheckedDatasetSpec,
  FrameAugment,
  FramePlan,
  Normalization,
  AxisMap,
  FrameMap,
  ResampleAxis,
  DeviceAugmentOptions,
  ClipPlan,
  PlanOptions,
  PlannedClipDataset,
  ClipExecutor,
  ClipWork,
  EncodeWork,
  EncodedClip,
  FrameSource,
  ShardFrame,
  WorkOutput,
} from './synthetic/index.js';

declare module './registry.js' {
  interface DatasetRegistry {
    dfew: DfewOptions;
    ferv39k: Ferv39kOptions;
    mafw: MafwOptions;
    folder: FolderOptions;
    list: ListOptions;
  }
}

export { openDfew, openFerv39k, openMafw, openFolder, openList };
export { dfewDataset, ferv39kDataset, mafwDataset, folderDataset, listDataset };
export type { DfewOptions, Ferv39kOptions, MafwOptions, FolderOptions, ListOptions };
export type { ClipEntry, ClipSource, FileClipDataset } from './file/clip-dataset.js';
export { createFileDataset } from './file/clip-dataset.js';
export type { ClipReadOptions, SourceKind } from './file/options.js';
export {
  DFEW_CLASSES,
  FERV39K_CLASSES,
  FERV39K_SCENES,
  MAFW_CLASSES_MAE_DFER,
  MAFW_CLASSES_DFER_CLIP,
  mafwClasses,
} from './sets/classes.js';
export type { MafwClassOrder } from './sets/classes.js';
export { KNOWN_COUNTS } from './sets/known-counts.js';
export type { KnownSplitCount } from './sets/known-counts.js';
export { checkDataset, CHECKABLE_DATASETS } from './check.js';
export type { CheckOptions, CheckableDataset, ClipProblem, DatasetCheckReport, SplitCheck } from './check.js';
export { listFrames, sortFrameNames, frameNumber } from './io/frames.js';
export { decodeFrame } from './io/image.js';
export { decodeVideo, encodeVideo, resolveFfmpeg } from './io/video.js';
export { decodeText } from './io/text.js';

registerDataset(dfewDataset);
registerDataset(ferv39kDataset);
registerDataset(mafwDataset);
registerDataset(folderDataset);
registerDataset(listDataset);

export { writeDfewLayout, writeFerv39kLayout, writeMafwLayout } from './writer/layouts.js';
export type { DfewLayoutOptions, Ferv39kLayoutOptions, MafwLayoutOptions, LayoutClip, LayoutManifest } from './writer/layouts.js';
export { writeFrame } from './writer/frames.js';
export type { FrameFormat } from './writer/frames.js';
export { prepareCache } from './cache/prepare.js';
export { readManifest } from './cache/manifest.js';
export type { PrepareCacheOptions, PrepareCacheResult, PrepareProgress, SkippedClip } from './cache/prepare.js';
export { openFrameCache, CacheStaleError } from './cache/open.js';
export type { FrameCache, OpenCacheOptions } from './cache/open.js';
export { cacheDataset, openCacheDataset } from './cache/dataset.js';
export type { CacheClipDataset, CacheSplitOptions } from './cache/dataset.js';
export { verifyCache } from './cache/verify.js';
export type { CacheVerifyReport, CacheProblem } from './cache/verify.js';
export { cacheSplitKey, splitRequests } from './cache/splits.js';
export type { SplitSelection } from './cache/splits.js';
export type { CacheManifest, CacheIdentity, CachedClip, CachedShard, CachedSplit, CacheFrameFormat } from './cache/format.js';
export type { SourceRecord, FileRecord, VerifyLevel } from './cache/fingerprint.js';
export { ClipWorkerPool } from './workers/pool.js';
export type { WorkerPoolOptions } from './workers/pool.js';
export { inProcessExecutor } from './work/in-process.js';
export { clipTrainData } from './training/train-data.js';
export type { ClipTrainData, ClipTrainDataOptions } from './training/train-data.js';
export { clipEvalData } from './training/eval-data.js';
export type { ClipEvalDataOptions } from './training/eval-data.js';
export { prefetchTrainData } from './training/prefetch.js';
export type { PrefetchingTrainData, PrefetchOptions, PrefetchStats, DataWait } from './training/prefetch.js';
export type { AugmentOn } from './training/types.js';
export { benchmarkPipeline, writeBenchClips } from './bench/benchmark.js';
export { benchmarkLoading } from './bench/loading.js';
export { packedTrainData } from './bench/packed.js';
export type { LoadingBenchmark, LoadingBenchmarkOptions } from './bench/loading.js';
export type { BenchmarkOptions, BenchmarkResult } from './bench/benchmark.js';
export type { SplitName } from './sets/common.js';
export type { Rgb } from './synthetic/canvas.js';
export type { ResolvedReadOptions } from './file/options.js';
export type { RawImage } from './io/bmp.js';
export type { FrameInput, FrameGeometry } from './io/image.js';
