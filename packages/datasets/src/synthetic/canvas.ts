// A tiny float RGB canvas with anti-aliased signed-distance painting. Pure TypeScript, browser-safe.

export type Rgb = [number, number, number];

/** H x W x 3 float canvas, values in [0, 1]. */
export class Canvas {
  readonly data: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }

  fill(color: Rgb): void {
    const d = this.data;
    for (let i = 0; i < d.length; i += 3) {
      d[i] = color[0];
      d[i + 1] = color[1];
      d[i + 2] = color[2];
    }
  }

  /** Blends `color` into pixel (x, y) with coverage `alpha`. */
  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    const d = this.data;
    if (alpha >= 1) {
      d[i] = color[0];
      d[i + 1] = color[1];
      d[i + 2] = color[2];
      return;
    }
    d[i] = d[i]! + (color[0] - d[i]!) * alpha;
    d[i + 1] = d[i + 1]! + (color[1] - d[i + 1]!) * alpha;
    d[i + 2] = d[i + 2]! + (color[2] - d[i + 2]!) * alpha;
  }

  /** Paints a shape given by a signed distance in pixels (negative inside) over a pixel bounding box. */
  paint(x0: number, y0: number, x1: number, y1: number, sdf: (px: number, py: number) => number, color: Rgb): void {
    const xa = Math.max(0, Math.floor(x0)),
      xb = Math.min(this.width - 1, Math.ceil(x1));
    const ya = Math.max(0, Math.floor(y0)),
      yb = Math.min(this.height - 1, Math.ceil(y1));
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const d = sdf(x + 0.5, y + 0.5);
        if (d < 0.5) this.blend(x, y, color, d <= -0.5 ? 1 : 0.5 - d);
      }
    }
  }

  /** Converts to uint8 RGB. */
  toUint8(out: Uint8Array = new Uint8Array(this.data.length)): Uint8Array {
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]! * 255;
      out[i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
    }
    return out;
  }
}

/** Distance from p to segment ab. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const ex = px - (ax + t * dx),
    ey = py - (ay + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

/** Approximate signed distance to an axis-aligned ellipse (exact for circles), in the ellipse's units. */
export function ellipseDistance(px: number, py: number, cx: number, cy: number, rx: number, ry: number): number {
  const nx = (px - cx) / rx,
    ny = (py - cy) / ry;
  const k = Math.sqrt(nx * nx + ny * ny);
  return (k - 1) * Math.min(rx, ry);
}
