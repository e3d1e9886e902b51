// Cheap deterministic classifiers for tests: pooled-pixel features and softmax regression by full-batch gradient descent.

/** Average-pools an S x S RGB uint8 frame to a g x g grey grid in [0, 1]. */
export function poolGrey(frame: Uint8Array, size: number, grid: number): Float64Array {
  const out = new Float64Array(grid * grid);
  const cell = size / grid;
  for (let y = 0; y < size; y++) {
    const gy = Math.min(grid - 1, Math.floor(y / cell));
    for (let x = 0; x < size; x++) {
      const gx = Math.min(grid - 1, Math.floor(x / cell));
      const i = (y * size + x) * 3;
      out[gy * grid + gx] += (0.299 * frame[i]! + 0.587 * frame[i + 1]! + 0.114 * frame[i + 2]!) / 255;
    }
  }
  const n = cell * cell;
  for (let k = 0; k < out.length; k++) out[k] /= n;
  return out;
}

/** Softmax regression on standardised features; returns the test accuracy. */
export function softmaxAccuracy(
  train: Float64Array[],
  trainY: number[],
  test: Float64Array[],
  testY: number[],
  classes: number,
  { epochs = 300, lr = 0.5, l2 = 1e-3 } = {},
): number {
  const d = train[0]!.length;
  const mean = new Float64Array(d),
    std = new Float64Array(d);
  for (const x of train) for (let j = 0; j < d; j++) mean[j] += x[j]! / train.length;
  for (const x of train) for (let j = 0; j < d; j++) std[j] += (x[j]! - mean[j]!) ** 2 / train.length;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]!) + 1e-6;
  const norm = (x: Float64Array) => x.map((v, j) => (v - mean[j]!) / std[j]!);
  const X = train.map(norm),
    Xt = test.map(norm);
  const W = new Float64Array(classes * d),
    b = new Float64Array(classes);
  const logits = (x: Float64Array) => {
    const z = new Float64Array(classes);
    for (let c = 0; c < classes; c++) {
      let s = b[c]!;
      for (let j = 0; j < d; j++) s += W[c * d + j]! * x[j]!;
      z[c] = s;
    }
    return z;
  };
  for (let e = 0; e < epochs; e++) {
    const gW = new Float64Array(classes * d),
      gb = new Float64Array(classes);
    X.forEach((x, n) => {
      const z = logits(x);
      const m = Math.max(...z);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += z[c] = Math.exp(z[c]! - m);
      for (let c = 0; c < classes; c++) {
        const g = z[c]! / sum - (c === trainY[n] ? 1 : 0);
        gb[c] += g;
        for (let j = 0; j < d; j++) gW[c * d + j] += g * x[j]!;
      }
    });
    for (let k = 0; k < W.length; k++) W[k] -= lr * (gW[k]! / X.length + l2 * W[k]!);
    for (let c = 0; c < classes; c++) b[c] -= (lr * gb[c]!) / X.length;
  }
  let correct = 0;
  Xt.forEach((x, n) => {
    const z = logits(x);
    if (z.indexOf(Math.max(...z)) === testY[n]) correct++;
  });
  return correct / Xt.length;
}
