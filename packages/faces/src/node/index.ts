// @adatosk/faces/node: videos and frame folders in, face-cropped frame folders out (Node only: ffmpeg,
// sharp and the file system, through @adatosk/datasets).
export { readVideoFrames, probeVideo, type VideoFrame, type VideoInfo, type ReadVideoOptions } from './video.js';
export { readFrameFolder, listFrameFiles, readImageFile, type ReadFolderOptions } from './frames.js';
export { prepareFaceClips, findRawClips, type PrepareFacesOptions, type PrepareFacesReport, type ClipResult } from './prepare.js';
export { targetOf, FACE_LAYOUTS, type FaceLayout, type ClipTarget } from './layouts.js';
