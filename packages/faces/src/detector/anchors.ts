// BlazeFace's SSD anchors (MediaPipe's SsdAnchorsCalculator with fixed anchor size 1, offset 0.5): one
// anchor centre per grid cell and layer, repeated once per anchor of that layer, in input pixels.

export interface AnchorSpec {
  /** Grid strides in input pixels, one per output layer, in the model's output order. */
  strides: readonly number[];
  /** Anchors per grid cell for each stride. */
  perCell: readonly number[];
}

/** Short-range (128 px) and back-camera (256 px) BlazeFace both use two layers, 2 and 6 anchors per cell. */
export function blazeFaceAnchorSpec(inputSize: number): AnchorSpec {
  return { strides: [inputSize / 16, inputSize / 8], perCell: [2, 6] };
}

/** Anchor centres, `[x0, y0, x1, y1, ...]` in input pixels. */
export function generateAnchors(inputSize: number, spec: AnchorSpec = blazeFaceAnchorSpec(inputSize)): Float32Array {
  const out: number[] = [];
  spec.strides.forEach((stride, layer) => {
    const cells = Math.ceil(inputSize / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < spec.perCell[layer]; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  });
  return Float32Array.from(out);
}
