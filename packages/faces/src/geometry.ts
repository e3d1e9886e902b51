// Box arithmetic shared by the detector's suppression and the tracker's association.
import type { FaceBox, Point } from './types.js';

export function boxArea(b: FaceBox): number {
  return Math.max(0, b.width) * Math.max(0, b.height);
}

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

export function boxCenter(b: FaceBox): Point {
  return [b.x + b.width / 2, b.y + b.height / 2];
}
