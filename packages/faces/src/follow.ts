// The per-frame loop shared by `adatosk predict`, dataset preparation and pages: detect, update the tracks,
// and cut the crops wanted from this frame. Browser-safe.
import { cropFacesToBytes } from './crop/crop.js';
import { faceCrop, type FaceCrop, type FaceCropOptions } from './crop/geometry.js';
import type { FaceDetector } from './detector/detector.js';
import { imageSize, type ImageInput } from './image.js';
import { FaceTracker, type FaceTrack, type FaceTrackerOptions } from './track/tracker.js';
import type { FaceDetection } from './types.js';

/** A frame with its place in the video. */
export interface TimedImage {
  image: ImageInput;
  /** Frame number from 0. */
  index: number;
  /** Seconds from the start. */
  time: number;
}

export interface TrackFacesOptions {
  detector: FaceDetector;
  /** A tracker to continue, or options for a new one. */
  tracker?: FaceTracker | FaceTrackerOptions;
  /** Crop geometry (margin, eye alignment). */
  crop?: FaceCropOptions;
  /** Side of the crops in pixels (the model's input size); no crops without it. */
  cropSize?: number;
  /** Which frames to cut crops from (default every frame when `cropSize` is given). */
  cropWhen?: (index: number) => boolean;
}

/** One tracked face in one frame. */
export interface TrackedFace extends FaceTrack {
  /** The crop square in frame pixels. */
  region: FaceCrop;
  /** `cropSize^2 * 3` RGB bytes when this frame was cropped. */
  crop?: Uint8Array;
}

export interface TrackedFrame {
  index: number;
  time: number;
  width: number;
  height: number;
  detections: FaceDetection[];
  /** Live tracks, confirmed or not (see `FaceTrack.confirmed`). */
  faces: TrackedFace[];
}

/** Detects and tracks faces in `frames`, in order; yields one `TrackedFrame` per frame. */
export async function* trackFaces(
  frames: AsyncIterable<TimedImage> | Iterable<TimedImage>,
  options: TrackFacesOptions,
): AsyncGenerator<TrackedFrame> {
  const tracker = options.tracker instanceof FaceTracker ? options.tracker : new FaceTracker(options.tracker);
  for await (const frame of frames as AsyncIterable<TimedImage>) yield trackFrame(frame, tracker, options);
}

/** One step of `trackFaces`, for callers that drive the loop themselves (a page's render loop). */
export async function trackFrame(
  frame: TimedImage,
  tracker: FaceTracker,
  options: Omit<TrackFacesOptions, 'tracker'>,
): Promise<TrackedFrame> {
  const [height, width] = imageSize(frame.image);
  const detections = await options.detector.detect(frame.image);
  const tracks = tracker.update(detections, frame.index, frame.time);
  const faces: TrackedFace[] = tracks.map((t) => ({ ...t, region: faceCrop(t.box, t.landmarks, options.crop) }));
  if (options.cropSize !== undefined && faces.length > 0 && (options.cropWhen?.(frame.index) ?? true)) {
    const crops = await cropFacesToBytes(
      frame.image,
      faces.map((f) => f.region),
      options.cropSize,
    );
    faces.forEach((f, i) => (f.crop = crops[i]));
  }
  return { index: frame.index, time: frame.time, width, height, detections, faces };
}
