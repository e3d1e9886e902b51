// Face tracks of a whole video for `adatosk predict`: the first pass detects and tracks every frame and keeps
// each confirmed track's boxes and crop squares; nothing is cropped yet (that is the second pass, for the
// tracks chosen).
import {
  FaceDetector,
  FaceTracker,
  faceCrop,
  type FaceCrop,
  type FaceCropOptions,
  type FaceModelName,
  type FaceTrackerOptions,
} from '@adatosk/faces';
import type { FrameSource } from './frames.js';

export interface TrackBox {
  frame: number;
  time: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** False where the track held its box through a frame without a detection. */
  detected: boolean;
}

export interface FaceTimeline {
  /** 1, 2, ... in order of appearance (confirmation). */
  id: number;
  firstFrame: number;
  lastFrame: number;
  detectedFrames: number;
  boxes: TrackBox[];
  /** Crop square per frame from firstFrame to lastFrame (index frame - firstFrame). */
  regions: FaceCrop[];
  /** Mean box area in pixels (what `--face largest` ranks by). */
  meanArea: number;
}

export interface FaceScan {
  frames: number;
  width: number;
  height: number;
  tracks: FaceTimeline[];
}

export interface ScanOptions {
  detector: FaceModelName;
  tracker?: FaceTrackerOptions;
  crop?: FaceCropOptions;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** Pass 1: every frame through the detector and the tracker. */
export async function scanFaces(source: FrameSource, options: ScanOptions): Promise<FaceScan> {
  const detector = await FaceDetector.load({ model: options.detector });
  const tracker = new FaceTracker(options.tracker);
  const open = new Map<number, { id: number; boxes: TrackBox[]; regions: FaceCrop[]; lastDetected: number }>();
  let frames = 0;
  let width = 0;
  let height = 0;
  try {
    for await (const frame of source.frames()) {
      frames++;
      width = frame.width;
      height = frame.height;
      const tracks = tracker.update(await detector.detect(frame), frame.index, frame.time);
      for (const t of tracks) {
        let entry = open.get(t.key);
        if (!entry) open.set(t.key, (entry = { id: 0, boxes: [], regions: [], lastDetected: frame.index }));
        entry.id = t.id;
        if (t.detected) entry.lastDetected = frame.index;
        const b = t.box;
        entry.boxes.push({
          frame: frame.index,
          time: round(frame.time * 100) / 100,
          x: round(b.x),
          y: round(b.y),
          width: round(b.width),
          height: round(b.height),
          detected: t.detected,
        });
        entry.regions.push(faceCrop(t.box, t.landmarks, options.crop));
      }
    }
  } finally {
    detector.dispose();
  }
  const tracks: FaceTimeline[] = [];
  for (const e of open.values()) {
    if (e.id === 0) continue; // never confirmed: not a face
    // Frames held after the last detection (before the track ended) are not the face's.
    const keep = e.boxes.findIndex((b) => b.frame > e.lastDetected);
    const boxes = keep < 0 ? e.boxes : e.boxes.slice(0, keep);
    const regions = keep < 0 ? e.regions : e.regions.slice(0, keep);
    tracks.push({
      id: e.id,
      firstFrame: boxes[0].frame,
      lastFrame: boxes[boxes.length - 1].frame,
      detectedFrames: boxes.filter((b) => b.detected).length,
      boxes,
      regions,
      meanArea: boxes.reduce((a, b) => a + b.width * b.height, 0) / boxes.length,
    });
  }
  tracks.sort((a, b) => a.id - b.id);
  return { frames, width, height, tracks };
}

/** The whole frame as one "track", letterboxed (for clips that are already face crops: `--no-detect`). */
export function wholeFrameTrack(frames: number, width: number, height: number, fps: number): FaceTimeline {
  const region: FaceCrop = { cx: width / 2, cy: height / 2, side: Math.max(width, height), angle: 0 };
  const boxes = Array.from({ length: frames }, (_, i) => ({
    frame: i,
    time: round((i / fps) * 100) / 100,
    x: 0,
    y: 0,
    width,
    height,
    detected: true,
  }));
  return {
    id: 1,
    firstFrame: 0,
    lastFrame: frames - 1,
    detectedFrames: frames,
    boxes,
    regions: boxes.map(() => region),
    meanArea: width * height,
  };
}
