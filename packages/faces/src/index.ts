// @adatosk/faces: face detection (BlazeFace, shipped in the package), face tracks and aligned face crops,
// on the active TF.js backend. Browser-safe and side-effect free: it never registers or picks a backend.
// Node file helpers (videos, frame folders, dataset preparation) are in '@adatosk/faces/node'.
export { FaceDetector, DETECTOR_DEFAULTS, type FaceDetectorOptions } from './detector/detector.js';
export { FACE_MODELS, type FaceModelName, type FaceModelInfo } from './detector/models.js';
export { generateAnchors, blazeFaceAnchorSpec, type AnchorSpec } from './detector/anchors.js';
export { decodeBlazeFace, type DecodeOptions, type Letterbox } from './detector/decode.js';
export { FaceTracker, TRACKER_DEFAULTS, type FaceTrack, type FaceTrackerOptions } from './track/tracker.js';
export { OneEuroFilter, ONE_EURO_DEFAULTS, type OneEuroOptions } from './track/one-euro.js';
export { faceCrop, cropTransform, cropCorners, CROP_DEFAULTS, type FaceCrop, type FaceCropOptions } from './crop/geometry.js';
export { cropFaces, cropFacesRaw, cropFacesToBytes } from './crop/crop.js';
export { letterboxRaw, letterboxGeometry, type LetterboxGeometry } from './raw/letterbox.js';
export { rawToTensor, withImageTensor, imageSize, type ImageInput } from './image.js';
export { iou, boxArea, boxCenter } from './geometry.js';
export type { FaceBox, FaceDetection, FaceLandmarks, Point, RawImage } from './types.js';
export { trackFaces, trackFrame, type TimedImage, type TrackFacesOptions, type TrackedFace, type TrackedFrame } from './follow.js';
