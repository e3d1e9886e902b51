// Draws AdaTosk's soft masks like the paper's Figure 3: the clip's frames in a row, then one row per mask
// (class-agnostic, class-semantic, final) with each visible patch tinted by its score; hidden patches greyed out.
import sharp from 'sharp';

export interface MaskRows {
  /** Token grid: temporal slots, patch rows, patch cols. */
  grid: { frames: number; height: number; width: number };
  /** Frames per temporal slot (tubelet size). */
  tubelet: number;
  /** Visible token indices (temporal-major tau*N + n). */
  visible: number[];
  /** Scores per visible token, in `visible` order, one row each. */
  rows: Array<{ name: string; scores: number[] }>;
}

/** Perceptually ordered colours (viridis-like) for a score in [0, 1]. */
function heat(v: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.max(0, Math.min(1, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] * (1 - f) + stops[i + 1][c] * f)) as [number, number, number];
}

/**
 * Renders rgb frames (`[T,S,S,3]` bytes) and mask rows into a PNG. `scale` enlarges each frame.
 */
export async function renderMaskFigure(
  rgb: Uint8Array,
  T: number,
  S: number,
  masks: MaskRows,
  opts: { scale?: number; title?: string } = {},
): Promise<Uint8Array> {
  const scale = opts.scale ?? Math.max(1, Math.round(112 / S));
  const cell = S * scale;
  const gap = 4;
  const labelW = 130;
  const titleH = opts.title ? 24 : 0;
  const nRows = 1 + masks.rows.length;
  const W = labelW + T * (cell + gap);
  const H = titleH + nRows * (cell + gap);
  const img = new Uint8Array(W * H * 3).fill(255);
  const { grid, tubelet } = masks;
  const N = grid.height * grid.width;
  const ph = S / grid.height;
  const pw = S / grid.width;
  const position = new Map<number, number>();
  masks.visible.forEach((tok, k) => position.set(tok, k));

  for (let r = 0; r < nRows; r++) {
    const scores = r === 0 ? null : masks.rows[r - 1].scores;
    for (let t = 0; t < T; t++) {
      const tau = Math.min(grid.frames - 1, Math.floor(t / tubelet));
      const x0 = labelW + t * (cell + gap);
      const y0 = titleH + r * (cell + gap);
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          const sy = Math.floor(y / scale);
          const sx = Math.floor(x / scale);
          const src = ((t * S + sy) * S + sx) * 3;
          let px: [number, number, number] = [rgb[src], rgb[src + 1], rgb[src + 2]];
          if (scores) {
            const tok = tau * N + Math.floor(sy / ph) * grid.width + Math.floor(sx / pw);
            const k = position.get(tok);
            const grey = 0.3 * px[0] + 0.59 * px[1] + 0.11 * px[2];
            if (k === undefined) px = [grey * 0.35, grey * 0.35, grey * 0.35];
            else {
              const h = heat(scores[k]);
              px = [0, 1, 2].map((c) => 0.45 * grey + 0.55 * h[c]) as [number, number, number];
            }
          }
          const dst = ((y0 + y) * W + x0 + x) * 3;
          img[dst] = px[0];
          img[dst + 1] = px[1];
          img[dst + 2] = px[2];
        }
      }
    }
  }
  const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
  const labels = ['frames', ...masks.rows.map((r) => r.name)];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">` +
    (opts.title ? `<text x="6" y="17" font-family="sans-serif" font-size="14" fill="#111">${esc(opts.title)}</text>` : '') +
    labels
      .map(
        (l, r) =>
          `<text x="6" y="${titleH + r * (cell + gap) + cell / 2 + 5}" font-family="sans-serif" font-size="13" fill="#111">${esc(l)}</text>`,
      )
      .join('') +
    `</svg>`;
  const png = await sharp(Buffer.from(img), { raw: { width: W, height: H, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
  return new Uint8Array(png);
}
