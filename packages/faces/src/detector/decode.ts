// BlazeFace raw output -> detections: sigmoid scores, anchor-relative boxes and keypoints, MediaPipe's
// weighted non-maximum suppression, then back from the letterboxed model input to frame pixels. Plain JS:
// one read of the [N, 17] output per frame costs less than a dozen small tensor ops on any backend.
import { iou } from '../geometry.js';
import type { FaceDetection, FaceLandmarks, Point } from '../types.js';

/** Where the frame sits in the square model input: input = frame / scale + pad. */
export interface Letterbox {
  /** Frame pixels per input pixel, per axis. */
  scaleX: number;
  scaleY: number;
  /** Input pixels of padding left of and above the frame. */
  padX: number;
  padY: number;
}

export interface DecodeOptions {
  /** Minimum score to keep a detection (default 0.5, MediaPipe's). */
  minScore: number;
  /** IoU above which detections are merged into the best one (default 0.3, MediaPipe's). */
  iouThreshold: number;
  /** Most detections returned, best first. */
  maxFaces: number;
}

const KEYPOINTS = 6;
export const ROW = 1 + 4 + 2 * KEYPOINTS;
// MediaPipe clips raw scores to +-100 before the sigmoid.
const CLIP = 100;

interface Candidate {
  score: number;
  /** x0, y0, x1, y1 then 6 keypoints (x, y), in input pixels. */
  v: Float64Array;
}

function toBox(v: Float64Array) {
  return { x: v[0], y: v[1], width: v[2] - v[0], height: v[3] - v[1] };
}

/**
 * Decodes `raw` ([N, 17] rows: logit, cx, cy, w, h, 6 keypoints, offsets in input pixels from the anchor
 * centres) into detections in frame pixels, best first.
 */
export function decodeBlazeFace(raw: Float32Array, anchors: Float32Array, letterbox: Letterbox, options: DecodeOptions): FaceDetection[] {
  const n = anchors.length / 2;
  if (raw.length !== n * ROW) throw new Error(`decodeBlazeFace: expected ${n} x ${ROW} values, got ${raw.length}.`);
  const minLogit = Math.log(options.minScore / (1 - options.minScore));
  const candidates: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const r = i * ROW;
    const logit = Math.max(-CLIP, Math.min(CLIP, raw[r]));
    if (logit < minLogit) continue;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const cx = raw[r + 1] + ax;
    const cy = raw[r + 2] + ay;
    const w = raw[r + 3];
    const h = raw[r + 4];
    if (!(w > 0 && h > 0)) continue;
    const v = new Float64Array(4 + 2 * KEYPOINTS);
    v[0] = cx - w / 2;
    v[1] = cy - h / 2;
    v[2] = cx + w / 2;
    v[3] = cy + h / 2;
    for (let k = 0; k < KEYPOINTS; k++) {
      v[4 + 2 * k] = raw[r + 5 + 2 * k] + ax;
      v[5 + 2 * k] = raw[r + 6 + 2 * k] + ay;
    }
    candidates.push({ score: 1 / (1 + Math.exp(-logit)), v });
  }
  candidates.sort((a, b) => b.score - a.score);
  const merged = weightedSuppression(candidates, options.iouThreshold).slice(0, options.maxFaces);
  return merged.map((c) => toFrame(c, letterbox));
}

/** MediaPipe's WEIGHTED suppression: each cluster of overlapping candidates becomes their score-weighted mean. */
function weightedSuppression(sorted: Candidate[], threshold: number): Candidate[] {
  const out: Candidate[] = [];
  let remaining = sorted;
  while (remaining.length > 0) {
    const top = remaining[0];
    const topBox = toBox(top.v);
    const cluster: Candidate[] = [];
    const rest: Candidate[] = [];
    for (const c of remaining) (iou(topBox, toBox(c.v)) > threshold ? cluster : rest).push(c);
    if (cluster.length === 1) out.push(top);
    else {
      const v = new Float64Array(top.v.length);
      let total = 0;
      for (const c of cluster) {
        total += c.score;
        for (let j = 0; j < v.length; j++) v[j] += c.v[j] * c.score;
      }
      for (let j = 0; j < v.length; j++) v[j] /= total;
      out.push({ score: top.score, v });
    }
    remaining = rest;
  }
  return out;
}

function toFrame(c: Candidate, lb: Letterbox): FaceDetection {
  const fx = (x: number) => (x - lb.padX) * lb.scaleX;
  const fy = (y: number) => (y - lb.padY) * lb.scaleY;
  const p = (k: number): Point => [fx(c.v[4 + 2 * k]), fy(c.v[5 + 2 * k])];
  const x0 = fx(c.v[0]);
  const y0 = fy(c.v[1]);
  const landmarks: FaceLandmarks = { rightEye: p(0), leftEye: p(1), noseTip: p(2), mouth: p(3), rightEar: p(4), leftEar: p(5) };
  return { box: { x: x0, y: y0, width: fx(c.v[2]) - x0, height: fy(c.v[3]) - y0 }, score: c.score, landmarks };
}
