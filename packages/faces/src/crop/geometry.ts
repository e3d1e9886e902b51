// Where to cut a face out: a square around the face box with a margin, turned so the eyes lie level when
// the keypoints are known, as DFER datasets' aligned face crops are made.
import type { FaceBox, FaceLandmarks } from '../types.js';

export interface FaceCropOptions {
  /** Crop side / face box side (default 1.5: forehead, chin and some hair in view). */
  scale?: number;
  /** Rotate so the eyes are level when keypoints exist (default true). */
  align?: boolean;
  /** Larger eye-line tilts are not corrected (default 40 degrees): they come from bad keypoints. */
  maxAngleDegrees?: number;
  /** Move the centre up by this fraction of the box height (default 0.05, BlazeFace boxes sit low on the face). */
  shiftUp?: number;
}

export const CROP_DEFAULTS = { scale: 1.5, align: true, maxAngleDegrees: 40, shiftUp: 0.05 } as const;

/** A square region of the frame: centre and side in pixels, rotation in radians (clockwise on screen). */
export interface FaceCrop {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/**
 * The crop square for a face. With keypoints, the square turns with the eye line, unless the eyes are too
 * close together to measure it (a profile view), where it stays upright.
 */
export function faceCrop(box: FaceBox, landmarks: FaceLandmarks | undefined, options: FaceCropOptions = {}): FaceCrop {
  const scale = options.scale ?? CROP_DEFAULTS.scale;
  if (!(scale > 0)) throw new Error(`faceCrop: scale must be positive, got ${scale}.`);
  const side = Math.max(box.width, box.height) * scale;
  let angle = 0;
  if ((options.align ?? CROP_DEFAULTS.align) && landmarks) {
    const dx = landmarks.leftEye[0] - landmarks.rightEye[0];
    const dy = landmarks.leftEye[1] - landmarks.rightEye[1];
    const limit = ((options.maxAngleDegrees ?? CROP_DEFAULTS.maxAngleDegrees) * Math.PI) / 180;
    const a = Math.atan2(dy, dx);
    if (Math.hypot(dx, dy) > 0.2 * box.width && Math.abs(a) <= limit) angle = a;
  }
  const up = (options.shiftUp ?? CROP_DEFAULTS.shiftUp) * box.height;
  // "Up" follows the face when it is turned.
  const cx = box.x + box.width / 2 + up * Math.sin(angle);
  const cy = box.y + box.height / 2 - up * Math.cos(angle);
  return { cx, cy, side, angle };
}

/**
 * The crop as TF.js's projective transform (`tf.image.transform`): maps an output pixel of a `size` x
 * `size` crop to input pixel coordinates (pixel centres at integers).
 */
export function cropTransform(crop: FaceCrop, size: number): [number, number, number, number, number, number, number, number] {
  const s = crop.side / size;
  const cos = Math.cos(crop.angle) * s;
  const sin = Math.sin(crop.angle) * s;
  const o = 0.5 - size / 2; // output pixel centre -> offset from the crop centre, in output pixels
  return [cos, -sin, crop.cx - 0.5 + cos * o - sin * o, sin, cos, crop.cy - 0.5 + sin * o + cos * o, 0, 0];
}

/** The crop's corners in frame pixels (top-left, top-right, bottom-right, bottom-left), for drawing. */
export function cropCorners(crop: FaceCrop): Array<[number, number]> {
  const h = crop.side / 2;
  const c = Math.cos(crop.angle);
  const s = Math.sin(crop.angle);
  return [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
  ].map(([x, y]) => [crop.cx + c * x - s * y, crop.cy + s * x + c * y]);
}
