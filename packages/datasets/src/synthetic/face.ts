// Rasterises one cartoon face (hair, head, eyes, brows, nose, wrinkles, mouth) in a single pass over its
// bounding box, painter's order, with anti-aliased edges. Geometry is in face units (head half-width = 1).
import { type Canvas, type Rgb, ellipseDistance, segmentDistance } from './canvas.js';
import type { Expression } from './classes.js';

/** Per-clip appearance. */
export interface FaceIdentity {
  skin: Rgb;
  hair: Rgb;
  lip: Rgb;
  brow: Rgb;
  iris: Rgb;
  /** Head height / width. */
  aspect: number;
  eyeX: number;
  eyeY: number;
  eyeSize: number;
  browY: number;
  mouthY: number;
  mouthWidth: number;
  /** Hair reach down the sides, 0..1. */
  hairLength: number;
}

/** Per-frame head placement. */
export interface FacePose {
  /** Centre in pixels. */
  cx: number;
  cy: number;
  /** Pixels per face unit. */
  scale: number;
  /** In-plane rotation, radians. */
  angle: number;
}

const MOUTH_INSIDE: Rgb = [0.22, 0.04, 0.06];
const EYE_WHITE: Rgb = [0.96, 0.96, 0.94];
const PUPIL: Rgb = [0.05, 0.05, 0.07];

function cover(distanceUnits: number, scale: number): number {
  const d = distanceUnits * scale;
  return d >= 0.5 ? 0 : d <= -0.5 ? 1 : 0.5 - d;
}

export function drawFace(canvas: Canvas, pose: FacePose, id: FaceIdentity, e: Expression): void {
  const { cx, cy, scale: s } = pose;
  const cos = Math.cos(pose.angle),
    sin = Math.sin(pose.angle);
  const reach = 1.35 * Math.max(1, id.aspect) * s;
  const xa = Math.max(0, Math.floor(cx - reach)),
    xb = Math.min(canvas.width - 1, Math.ceil(cx + reach));
  const ya = Math.max(0, Math.floor(cy - reach)),
    yb = Math.min(canvas.height - 1, Math.ceil(cy + reach));

  const skinDark: Rgb = [id.skin[0] * 0.72, id.skin[1] * 0.66, id.skin[2] * 0.64];
  const wrinkleColor: Rgb = [id.skin[0] * 0.5, id.skin[1] * 0.42, id.skin[2] * 0.4];
  const eyeRx = 0.17 * id.eyeSize;
  const eyeRy = Math.max(0.012, 0.11 * id.eyeSize * e.eyeOpen);
  const pupilR = Math.min(0.075 * id.eyeSize, eyeRy + 0.02);
  const browLift = -e.browRaise * 0.17;
  const mouthHalf = 0.34 * id.mouthWidth * e.width;
  const lipHalf = 0.045;

  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const dx = x + 0.5 - cx,
        dy = y + 0.5 - cy;
      const u = (dx * cos + dy * sin) / s;
      const v = (-dx * sin + dy * cos) / s;

      // Hair behind the head: a larger ellipse shifted up, cut at `hairLength` down the sides.
      const hairCut = -0.2 + 0.9 * id.hairLength;
      if (v < hairCut + 0.1) {
        const a = cover(ellipseDistance(u, v, 0, -0.18, 1.12, id.aspect * 0.98), s) * Math.min(1, (hairCut + 0.1 - v) * s);
        canvas.blend(x, y, id.hair, a);
      }
      // Head.
      const head = cover(ellipseDistance(u, v, 0, 0, 1, id.aspect), s);
      if (head <= 0) continue;
      canvas.blend(x, y, id.skin, head);
      // Fringe over the forehead.
      if (v < -0.62 * id.aspect) canvas.blend(x, y, id.hair, head * cover(-0.62 * id.aspect + 0.06 * Math.cos(u * 9) - v, s));

      const side = u < 0 ? -1 : 1;
      const au = u * side; // mirrored to the right half

      // Eyes: white, pupil clipped to the white, a lid line when nearly closed.
      const white = cover(ellipseDistance(au, v, id.eyeX, id.eyeY, eyeRx, eyeRy), s);
      if (white > 0) {
        canvas.blend(x, y, EYE_WHITE, white);
        const pupil = cover(ellipseDistance(au, v, id.eyeX, id.eyeY + 0.01, pupilR, pupilR), s);
        canvas.blend(x, y, id.iris, Math.min(white, pupil));
        const core = cover(ellipseDistance(au, v, id.eyeX, id.eyeY + 0.01, pupilR * 0.5, pupilR * 0.5), s);
        canvas.blend(x, y, PUPIL, Math.min(white, core));
      }
      if (e.eyeOpen < 0.35) {
        const lid = segmentDistance(au, v, id.eyeX - eyeRx, id.eyeY, id.eyeX + eyeRx, id.eyeY) - 0.025;
        canvas.blend(x, y, id.brow, cover(lid, s) * (1 - e.eyeOpen / 0.35));
      }

      // Brows: inner end moves with tilt (up for sad/fear, down for anger), both with raise.
      const innerY = id.browY + browLift - e.browTilt * 0.14;
      const outerY = id.browY + browLift + e.browTilt * 0.04;
      const brow = segmentDistance(au, v, 0.12, innerY, 0.58, outerY) - 0.055;
      if (brow < 0.05) canvas.blend(x, y, id.brow, cover(brow, s));

      // Nose.
      const nose = segmentDistance(u, v, 0, 0.0, 0.05, 0.22) - 0.035;
      if (nose < 0.05) canvas.blend(x, y, skinDark, cover(nose, s));
      // Disgust wrinkles: slanted lines beside the nose bridge.
      if (e.wrinkle > 0.02) {
        for (let k = 0; k < 3; k++) {
          const wy = -0.08 + k * 0.08;
          const w = segmentDistance(au, v, 0.1, wy, 0.3, wy - 0.06) - 0.022;
          if (w < 0.05) canvas.blend(x, y, wrinkleColor, cover(w, s) * Math.min(1, e.wrinkle));
        }
      }

      // Mouth: a parabola for the lip line (corners up with smile, one corner up with sneer), opened
      // into a dark interior bounded by upper and lower lips.
      if (Math.abs(u) < mouthHalf + 0.12) {
        const xn = Math.max(-1, Math.min(1, u / mouthHalf));
        const base = id.mouthY - e.smile * 0.17 * xn * xn + e.smile * 0.04 - e.sneer * 0.15 * Math.max(0, xn);
        const profile = Math.sqrt(Math.max(0, 1 - xn * xn));
        const gap = e.open * 0.26 * profile;
        const upper = base - gap * 0.4,
          lower = base + gap * 0.6;
        const beyond = Math.max(0, Math.abs(u) - mouthHalf); // distance past the corners
        if (gap > 0.004 && beyond === 0) {
          const inside = Math.min(cover(upper - v, s), cover(v - lower, s));
          canvas.blend(x, y, MOUTH_INSIDE, inside);
        }
        const dUpper = Math.hypot(beyond, v - upper) - lipHalf;
        const dLower = Math.hypot(beyond, v - lower) - lipHalf;
        const lip = Math.min(dUpper, dLower);
        if (lip < 0.05) canvas.blend(x, y, id.lip, cover(lip, s));
      }
    }
  }
}
