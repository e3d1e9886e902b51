// Per-frame detections -> face tracks: greedy IoU association with each track's current box, One Euro
// smoothing of the box and keypoints, birth after `minHits` detections with a high enough mean score,
// death after `maxMisses` frames without one. Pure JS: the same tracks in Node and in a page.
import { iou } from '../geometry.js';
import type { FaceBox, FaceDetection, FaceLandmarks, Point } from '../types.js';
import { ONE_EURO_DEFAULTS, OneEuroFilter, type OneEuroOptions } from './one-euro.js';

export interface FaceTrackerOptions {
  /** Minimum IoU between a detection and a track's box to continue the track (default 0.25). */
  iouThreshold?: number;
  /** Detections before a new track counts (is `confirmed`) (default 2). */
  minHits?: number;
  /**
   * Mean detection score a new track needs to be confirmed (default 0.7). Detections down to the
   * detector's `minScore` continue a confirmed track (a face turning away), but face-like things
   * (a cup, a pattern) that score around 0.5 for a few frames never become a face.
   */
  minTrackScore?: number;
  /** Frames a track survives without a detection, holding its last box (default 8). */
  maxMisses?: number;
  /** One Euro filter settings for the box and keypoints. */
  smoothing?: Partial<OneEuroOptions>;
}

export const TRACKER_DEFAULTS = { iouThreshold: 0.25, minHits: 2, minTrackScore: 0.7, maxMisses: 8 } as const;

/** A face followed over frames. Boxes and keypoints are smoothed. */
export interface FaceTrack {
  /** 1, 2, ... in order of confirmation; 0 while not yet confirmed. */
  id: number;
  /** Unique from the track's first detection on (also while unconfirmed), for keeping data per track. */
  key: number;
  confirmed: boolean;
  /** Detected in the frame just given (else its box is held from the last detection). */
  detected: boolean;
  box: FaceBox;
  landmarks?: FaceLandmarks;
  /** Score of the last detection. */
  score: number;
  /** Mean score of the track's detections. */
  meanScore: number;
  /** Frame of the first detection and of the last one. */
  firstFrame: number;
  lastFrame: number;
  hits: number;
  /** Frames since the last detection. */
  misses: number;
}

const LANDMARK_KEYS = ['rightEye', 'leftEye', 'noseTip', 'mouth', 'rightEar', 'leftEar'] as const;

class Track {
  readonly state: FaceTrack;
  private readonly boxFilters: OneEuroFilter[];
  private readonly pointFilters: OneEuroFilter[];

  constructor(key: number, det: FaceDetection, frame: number, time: number, smoothing: OneEuroOptions) {
    this.boxFilters = Array.from({ length: 4 }, () => new OneEuroFilter(smoothing));
    this.pointFilters = Array.from({ length: 12 }, () => new OneEuroFilter(smoothing));
    this.state = {
      id: 0,
      key,
      confirmed: false,
      detected: true,
      box: det.box,
      score: det.score,
      meanScore: 0,
      firstFrame: frame,
      lastFrame: frame,
      hits: 0,
      misses: 0,
    };
    this.observe(det, frame, time);
  }

  observe(det: FaceDetection, frame: number, time: number): void {
    const b = det.box;
    const size = Math.max(b.width, b.height);
    // Centre and size are filtered (not corners), so a face that moves keeps its size steady.
    const [cx, cy, w, h] = [b.x + b.width / 2, b.y + b.height / 2, b.width, b.height].map((v, i) =>
      this.boxFilters[i].filter(v, time, size),
    );
    const s = this.state;
    s.box = { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
    if (det.landmarks) {
      const out: Partial<FaceLandmarks> = {};
      LANDMARK_KEYS.forEach((k, i) => {
        const p = det.landmarks![k];
        out[k] = [this.pointFilters[2 * i].filter(p[0], time, size), this.pointFilters[2 * i + 1].filter(p[1], time, size)] as Point;
      });
      s.landmarks = out as FaceLandmarks;
    }
    s.score = det.score;
    s.meanScore = (s.meanScore * s.hits + det.score) / (s.hits + 1);
    s.detected = true;
    s.lastFrame = frame;
    s.hits++;
    s.misses = 0;
  }

  miss(): void {
    this.state.detected = false;
    this.state.misses++;
  }
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private nextKey = 1;
  private readonly iouThreshold: number;
  private readonly minHits: number;
  private readonly minTrackScore: number;
  private readonly maxMisses: number;
  private readonly smoothing: OneEuroOptions;

  constructor(options: FaceTrackerOptions = {}) {
    this.iouThreshold = options.iouThreshold ?? TRACKER_DEFAULTS.iouThreshold;
    this.minHits = options.minHits ?? TRACKER_DEFAULTS.minHits;
    this.minTrackScore = options.minTrackScore ?? TRACKER_DEFAULTS.minTrackScore;
    this.maxMisses = options.maxMisses ?? TRACKER_DEFAULTS.maxMisses;
    this.smoothing = { ...ONE_EURO_DEFAULTS, ...options.smoothing };
    if (!(this.minHits >= 1)) throw new Error(`FaceTracker: minHits must be at least 1, got ${this.minHits}.`);
    if (!(this.maxMisses >= 0)) throw new Error(`FaceTracker: maxMisses must be 0 or more, got ${this.maxMisses}.`);
  }

  /**
   * Feeds one frame's detections (frame number, time in seconds) and returns the live tracks, confirmed
   * or not, oldest first. A track that missed more than `maxMisses` frames, or missed before it was
   * confirmed, is dropped.
   */
  update(detections: readonly FaceDetection[], frame: number, time: number): FaceTrack[] {
    const pairs: Array<[number, number, number]> = [];
    this.tracks.forEach((t, ti) =>
      detections.forEach((d, di) => {
        const overlap = iou(t.state.box, d.box);
        if (overlap >= this.iouThreshold) pairs.push([overlap, ti, di]);
      }),
    );
    pairs.sort((a, b) => b[0] - a[0]);
    const usedTracks = new Set<number>();
    const usedDetections = new Set<number>();
    for (const [, ti, di] of pairs) {
      if (usedTracks.has(ti) || usedDetections.has(di)) continue;
      usedTracks.add(ti);
      usedDetections.add(di);
      this.tracks[ti].observe(detections[di], frame, time);
    }
    this.tracks.forEach((t, ti) => {
      if (!usedTracks.has(ti)) t.miss();
    });
    this.tracks = this.tracks.filter((t) => (t.state.confirmed ? t.state.misses <= this.maxMisses : t.state.misses === 0));
    detections.forEach((d, di) => {
      if (!usedDetections.has(di)) this.tracks.push(new Track(this.nextKey++, d, frame, time, this.smoothing));
    });
    for (const t of this.tracks) {
      if (!t.state.confirmed && t.state.hits >= this.minHits && t.state.meanScore >= this.minTrackScore) {
        t.state.confirmed = true;
        t.state.id = this.nextId++;
      }
    }
    return this.tracks.map((t) => ({ ...t.state }));
  }

  /** Forgets every track (a new video); ids start again at 1. */
  reset(): void {
    this.tracks = [];
    this.nextId = 1;
    this.nextKey = 1;
  }
}
