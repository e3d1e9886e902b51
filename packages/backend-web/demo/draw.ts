// Canvas drawing for the demo: the frame with the soft mask over it, and probabilities over time.
import type { Frame, RawFrame, WindowResult } from '@adatosk/backend-web';

export const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#9a6324', '#469990'];

function isRaw(f: Frame): f is RawFrame {
  return ArrayBuffer.isView((f as RawFrame).data) && typeof (f as RawFrame).width === 'number';
}

function toDrawable(frame: Frame): CanvasImageSource {
  if (!isRaw(frame)) return frame as CanvasImageSource;
  const { data, width, height } = frame;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const ch = data.length / (width * height);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = data[i * ch];
    rgba[i * 4 + 1] = data[i * ch + 1];
    rgba[i * 4 + 2] = data[i * ch + 2];
    rgba[i * 4 + 3] = 255;
  }
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  return c;
}

/**
 * Draws `frame` and shades each patch by (1 - mask). `mask` is the window's soft mask flattened over
 * tokens in temporal-major order (tubelet, patch row, patch col); `tubelet` picks which tubelet's row.
 */
export function drawFrame(
  canvas: HTMLCanvasElement,
  frame: Frame,
  mask?: Float32Array,
  grid?: { frames: number; height: number; width: number },
  tubelet = 0,
): void {
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(toDrawable(frame), 0, 0, canvas.width, canvas.height);
  if (!mask || !grid) return;
  const n = grid.height * grid.width;
  const offset = Math.min(tubelet, grid.frames - 1) * n;
  if (mask.length < offset + n) return;
  let max = 0;
  for (let i = 0; i < mask.length; i++) max = Math.max(max, mask[i]);
  const cw = canvas.width / grid.width;
  const chh = canvas.height / grid.height;
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const v = max > 0 ? Math.max(0, mask[offset + r * grid.width + c]) / max : 0;
      ctx.fillStyle = `rgba(0,0,0,${(0.75 * (1 - v)).toFixed(3)})`;
      ctx.fillRect(c * cw, r * chh, cw, chh);
    }
  }
}

/** Line chart of every class's probability per window. */
export function drawChart(canvas: HTMLCanvasElement, results: readonly WindowResult[], classes: readonly string[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#ddd';
  for (const y of [0.25, 0.5, 0.75]) {
    ctx.beginPath();
    ctx.moveTo(0, h * (1 - y));
    ctx.lineTo(w, h * (1 - y));
    ctx.stroke();
  }
  if (results.length === 0) return;
  const step = results.length > 1 ? w / (results.length - 1) : 0;
  classes.forEach((_, k) => {
    ctx.strokeStyle = COLORS[k % COLORS.length];
    ctx.lineWidth = 2;
    ctx.beginPath();
    results.forEach((r, i) => {
      const x = results.length > 1 ? i * step : w / 2;
      const y = h * (1 - (r.probs[k] ?? 0));
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    if (results.length === 1) ctx.arc(w / 2, h * (1 - (results[0].probs[k] ?? 0)), 3, 0, 2 * Math.PI);
    ctx.stroke();
  });
}
