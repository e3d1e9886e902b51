// Shared shapes: points, boxes, detections. Coordinates are pixels of the frame, origin top-left, x right.

/** `[x, y]` in frame pixels. */
export type Point = [number, number];

/** Axis-aligned box in frame pixels: top-left corner and size. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * BlazeFace's six keypoints. `rightEye` is the subject's right eye (on the left of an unmirrored image),
 * as MediaPipe names them.
 */
export interface FaceLandmarks {
  rightEye: Point;
  leftEye: Point;
  noseTip: Point;
  mouth: Point;
  rightEar: Point;
  leftEar: Point;
}

export interface FaceDetection {
  box: FaceBox;
  /** Detector confidence in [0, 1]. */
  score: number;
  landmarks?: FaceLandmarks;
}

/** Raw pixels: RGB or RGBA bytes, row-major (a decoded video frame, ImageData). */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}
