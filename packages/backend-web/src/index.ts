// @adatosk/backend-web: side-effect free; backends are imported by `selectWebDevice` on demand or
// registered by importing '@adatosk/backend-web/register'.
export { selectWebDevice, detectWebDevices, WEB_DEVICES, WEB_AUTO_ORDER } from './devices/select.js';
export type {
  WebDevice,
  ConcreteWebDevice,
  WebDeviceOptions,
  WebDeviceSelection,
  WebDeviceStatus,
  WebEnvironment,
} from './devices/select.js';
export { fetchBytes, fetchCheckpoint, checkpointUrls, loadModelFromUrl, loadAdaToskFromUrl } from './checkpoint/fetch.js';
export type { DownloadProgress, FetchOptions, RemoteCheckpoint } from './checkpoint/fetch.js';
export { frameToTensor, framesToClip, type Frame, type RawFrame, type ClipOptions } from './video/clip.js';
export { videoFrames, streamFrames, iterateFrames, type VideoFrameOptions } from './video/sources.js';
export { recognize, type RecognitionModel, type RecognizeOptions, type SoftMaskReportLike, type WindowResult } from './recognize.js';
