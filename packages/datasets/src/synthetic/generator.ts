// Generates one synthetic dynamic-face clip from (seed, label): identity, background clutter, a timeline in
// which the class expression rises from neutral to an apex and relaxes, head jitter, lighting drift,
// repeated frames, distractor blinks and talking. Deterministic, pure TypeScript, browser-safe.
import { createRng, type Rng } from '@adatosk/core';
import { Canvas, type Rgb, ellipseDistance, segmentDistance } from './canvas.js';
import { APEX_FACES, CLASS_DYNAMICS, SYNTHETIC_CLASSES, blendExpression, type Expression } from './classes.js';
import { drawFace, type FaceIdentity, type FacePose } from './face.js';

/** Difficulty and size knobs of the generator (all optional). */
export interface SyntheticClipOptions {
  /** Frames per clip (default 16). */
  numFrames?: number;
  /** Frame height and width in pixels (default 160). */
  size?: number;
  /** Apex strength in (0, 1] (default 1); lower is harder. */
  intensity?: number;
  /** Fraction of the clip during which the expression is visible, drawn per clip from this range (default [0.25, 0.45]). */
  activeSpan?: [number, number];
  /** Head motion amplitude, 0 = still (default 1). */
  jitter?: number;
  /** Lighting drift amplitude, 0 = constant (default 1). */
  lighting?: number;
  /** Number of background clutter shapes (default 6). */
  clutter?: number;
  /**
   * Speed of the background clutter, a multiple of the default drift of up to 1% of the frame per frame
   * (default 1; 0 = still). Larger values give motion away from the face that is not the expression.
   */
  clutterMotion?: number;
  /** Pixel noise standard deviation in [0, 1] units (default 0.02). */
  noise?: number;
  /** Probability that a frame repeats the previous one (default 0.1; never the apex). */
  repeatProb?: number;
  /** Blinks and talking that are not the class expression (default true). */
  distractors?: boolean;
}

export const SYNTHETIC_DEFAULTS: Required<SyntheticClipOptions> = {
  numFrames: 16,
  size: 160,
  intensity: 1,
  activeSpan: [0.25, 0.45],
  jitter: 1,
  lighting: 1,
  clutter: 6,
  clutterMotion: 1,
  noise: 0.02,
  repeatProb: 0.1,
  distractors: true,
};

/** A rendered clip: T frames of H*W*3 uint8 RGB, the expression intensity per frame and the apex frames. */
export interface SyntheticClip {
  label: number;
  frames: Uint8Array[];
  size: number;
  /** Expression intensity per frame in [0, 1] (0 throughout for Neutral). */
  intensity: number[];
  /** Frames at >= 95% of the clip's peak intensity; empty for Neutral (no expression to find). */
  apexFrames: number[];
  /** Frames that repeat their predecessor. */
  repeated: number[];
}

function smoothstep(x: number): number {
  const t = Math.max(0, Math.min(1, x));
  return t * t * (3 - 2 * t);
}

function randomColor(rng: Rng, lo = 0.1, hi = 0.95): Rgb {
  return [rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi)];
}

function randomIdentity(rng: Rng): FaceIdentity {
  const tone = rng.float();
  const skin: Rgb = [0.55 + 0.4 * tone, 0.38 + 0.38 * tone, 0.28 + 0.34 * tone];
  const hairShade = rng.uniform(0.05, 0.6);
  return {
    skin,
    hair: [hairShade * rng.uniform(0.8, 1.6), hairShade * rng.uniform(0.6, 1.1), hairShade * rng.uniform(0.4, 0.9)],
    lip: [rng.uniform(0.55, 0.8), rng.uniform(0.15, 0.3), rng.uniform(0.2, 0.32)],
    brow: [0.12 * rng.uniform(0.5, 1.5), 0.09 * rng.uniform(0.5, 1.5), 0.07 * rng.uniform(0.5, 1.5)],
    iris: [rng.uniform(0.1, 0.45), rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.5)],
    aspect: rng.uniform(1.12, 1.32),
    eyeX: rng.uniform(0.34, 0.42),
    eyeY: rng.uniform(-0.3, -0.18),
    eyeSize: rng.uniform(0.9, 1.12),
    browY: rng.uniform(-0.56, -0.48),
    mouthY: rng.uniform(0.48, 0.58),
    mouthWidth: rng.uniform(0.9, 1.1),
    hairLength: rng.float(),
  };
}

interface Clutter {
  kind: 'rect' | 'circle' | 'line';
  color: Rgb;
  x: number;
  y: number;
  a: number;
  b: number;
  vx: number;
  vy: number;
}

function drawClutter(canvas: Canvas, c: Clutter, t: number): void {
  const S = canvas.width;
  const x = (c.x + c.vx * t) * S,
    y = (c.y + c.vy * t) * S,
    a = c.a * S,
    b = c.b * S;
  if (c.kind === 'rect') {
    canvas.paint(x - a, y - b, x + a, y + b, (px, py) => Math.max(Math.abs(px - x) - a, Math.abs(py - y) - b), c.color);
  } else if (c.kind === 'circle') {
    canvas.paint(x - a, y - a, x + a, y + a, (px, py) => ellipseDistance(px, py, x, y, a, a), c.color);
  } else {
    const w = Math.max(1, 0.012 * S);
    canvas.paint(
      Math.min(x, x + a) - w,
      Math.min(y, y + b) - w,
      Math.max(x, x + a) + w,
      Math.max(y, y + b) + w,
      (px, py) => segmentDistance(px, py, x, y, x + a, y + b) - w,
      c.color,
    );
  }
}

/** Renders the clip of `label` (index into SYNTHETIC_CLASSES) for `seed`. Same inputs, same pixels. */
export function renderSyntheticClip(seed: number, label: number, options: SyntheticClipOptions = {}): SyntheticClip {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  const T = o.numFrames,
    S = o.size;
  if (!(label >= 0 && label < SYNTHETIC_CLASSES.length)) throw new RangeError(`label ${label} is not in 0..6`);
  if (!(T >= 1 && S >= 8)) throw new RangeError(`numFrames (${T}) must be >= 1 and size (${S}) >= 8`);
  const rng = createRng(seed);
  const cls = SYNTHETIC_CLASSES[label]!;
  const apexFace = APEX_FACES[cls];
  const dyn = CLASS_DYNAMICS[cls];

  // Timeline: rise to the apex frame, hold briefly, relax.
  const span = Math.max(2, rng.uniform(o.activeSpan[0], o.activeSpan[1]) * T);
  const rise = Math.max(0.8, span * dyn.rise),
    fall = Math.max(0.8, span * dyn.fall),
    hold = span * 0.15;
  const lo = Math.round(0.15 * (T - 1)),
    hi = Math.round(0.85 * (T - 1));
  const apex = lo + rng.int(hi - lo + 1);
  const peak = o.intensity * rng.uniform(0.85, 1);
  const envelope = (t: number): number =>
    t <= apex ? smoothstep(1 - (apex - t) / rise) : t <= apex + hold ? 1 : smoothstep(1 - (t - apex - hold) / fall);

  // Distractors: a blink away from the apex, low-amplitude talking.
  const blinkAt = o.distractors && rng.chance(0.6) ? rng.int(T) : -1;
  const talk = o.distractors && rng.chance(0.5) ? rng.uniform(0.05, 0.15) : 0;
  const talkPhase = rng.uniform(0, Math.PI * 2),
    talkRate = rng.uniform(0.8, 1.6);

  // Appearance and scene.
  const id = randomIdentity(rng);
  const bgA = randomColor(rng, 0.15, 0.85),
    bgB = randomColor(rng, 0.15, 0.85);
  const clutter: Clutter[] = Array.from({ length: o.clutter }, () => ({
    kind: (['rect', 'circle', 'line'] as const)[rng.int(3)]!,
    color: randomColor(rng),
    x: rng.float(),
    y: rng.float(),
    a: rng.uniform(0.04, 0.16),
    b: rng.uniform(0.04, 0.16),
    vx: rng.uniform(-0.01, 0.01) * o.clutterMotion,
    vy: rng.uniform(-0.01, 0.01) * o.clutterMotion,
  }));
  const baseScale = S * rng.uniform(0.27, 0.32);
  let cx = S * (0.5 + rng.uniform(-0.04, 0.04)),
    cy = S * (0.52 + rng.uniform(-0.03, 0.03));
  const cx0 = cx,
    cy0 = cy;
  const lightPhase = rng.uniform(0, Math.PI * 2),
    lightRate = rng.uniform(0.2, 0.8);
  const gradX = rng.uniform(-0.3, 0.3) * o.lighting,
    gradY = rng.uniform(-0.3, 0.3) * o.lighting;
  const noiseRng = rng.split('noise');

  const frames: Uint8Array[] = [];
  const intensity: number[] = [];
  const repeated: number[] = [];
  const canvas = new Canvas(S, S);
  let angle = 0;
  for (let t = 0; t < T; t++) {
    // Head motion evolves every frame, also under repeated frames, so motion resumes naturally after them.
    cx += (cx0 - cx) * 0.3 + rng.normal() * 0.01 * S * o.jitter;
    cy += (cy0 - cy) * 0.3 + rng.normal() * 0.008 * S * o.jitter;
    angle = angle * 0.6 + rng.normal() * 0.04 * o.jitter;
    if (t > 0 && t !== apex && rng.chance(o.repeatProb)) {
      frames.push(frames[t - 1]!.slice());
      intensity.push(intensity[t - 1]!);
      repeated.push(t);
      continue;
    }
    const k = label === 2 ? 0 : peak * envelope(t);
    intensity.push(k);
    const face: Expression = blendExpression(apexFace, k);
    if (t === blinkAt) face.eyeOpen *= 0.08;
    if (talk > 0) face.open += talk * Math.abs(Math.sin(talkPhase + talkRate * t * 1.7));

    // Background gradient and clutter.
    const d = canvas.data;
    for (let y = 0; y < S; y++) {
      const w = y / (S - 1);
      const r = bgA[0] + (bgB[0] - bgA[0]) * w,
        g = bgA[1] + (bgB[1] - bgA[1]) * w,
        b = bgA[2] + (bgB[2] - bgA[2]) * w;
      for (let x = 0, i = y * S * 3; x < S; x++, i += 3) {
        d[i] = r;
        d[i + 1] = g;
        d[i + 2] = b;
      }
    }
    for (const c of clutter) drawClutter(canvas, c, t);
    const pose: FacePose = {
      cx,
      cy,
      angle,
      scale: baseScale * (1 + 0.03 * o.jitter * Math.sin(t * 0.7 + lightPhase)),
    };
    drawFace(canvas, pose, id, face);

    // Lighting: a global gain drifting in time times a spatial gradient, then pixel noise.
    const gain = 1 + 0.22 * o.lighting * Math.sin(lightPhase + lightRate * t);
    for (let y = 0; y < S; y++) {
      for (let x = 0, i = y * S * 3; x < S; x++, i += 3) {
        const l = gain * (1 + gradX * (x / S - 0.5) + gradY * (y / S - 0.5));
        const n0 = o.noise > 0 ? o.noise * noiseRng.normal() : 0;
        d[i] = d[i]! * l + n0;
        d[i + 1] = d[i + 1]! * l + n0;
        d[i + 2] = d[i + 2]! * l + n0;
      }
    }
    frames.push(canvas.toUint8());
  }
  const max = Math.max(...intensity);
  const apexFrames = max > 0 ? intensity.flatMap((k, t) => (k >= 0.95 * max ? [t] : [])) : [];
  return { label, frames, size: S, intensity, apexFrames, repeated };
}
