// The matrix products one AdaTosk training step runs, by shape class, for a preset and batch size: what
// `benchmarkMatMuls` measures. Token counts follow the model at 16 x 160 x 160 (tubelet 2, patch 16):
// 800 tokens per clip, the encoder sees the visible half (400) while training, the decoder all 800.

export type MatMulShapeClass = 'linear' | 'decoder' | 'attention' | 'embedding' | 'classifier';

export const MATMUL_SHAPE_CLASSES: readonly MatMulShapeClass[] = ['linear', 'decoder', 'attention', 'embedding', 'classifier'];

export interface MatMulBenchShape {
  /** e.g. `linear fc1 dW` */
  name: string;
  shapeClass: MatMulShapeClass;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  /** The forward products of biased layers run as `tf.fused.matMul` with the bias in the epilogue. */
  bias: boolean;
  /** Floating-point operations (2 per multiply-add). */
  flops: number;
}

export interface ModelWidths {
  hidden: number;
  intermediate: number;
  heads: number;
  decoderHidden: number;
  decoderIntermediate: number;
  decoderHeads: number;
  /** Tubelet pixels: tubelet * patch * patch * 3. */
  patchPixels: number;
  classes: number;
}

export const MODEL_WIDTHS: Readonly<Record<'base' | 'small', ModelWidths>> = {
  base: {
    hidden: 768,
    intermediate: 3072,
    heads: 12,
    decoderHidden: 384,
    decoderIntermediate: 1536,
    decoderHeads: 6,
    patchPixels: 1536,
    classes: 7,
  },
  small: {
    hidden: 384,
    intermediate: 1536,
    heads: 6,
    decoderHidden: 192,
    decoderIntermediate: 768,
    decoderHeads: 3,
    patchPixels: 1536,
    classes: 7,
  },
};

export interface ShapeListOptions {
  /** Tokens per clip in the encoder (default 400: the visible half of 800). */
  encoderTokens?: number;
  /** Tokens per clip in the decoder (default 800). */
  decoderTokens?: number;
  /** Attention sequence lengths (default 80, 400, 800, 1600). */
  attentionN?: readonly number[];
}

function product(
  name: string,
  shapeClass: MatMulShapeClass,
  a: number[],
  b: number[],
  transposeA: boolean,
  transposeB: boolean,
  bias = false,
): MatMulBenchShape {
  const m = transposeA ? a[a.length - 1] : a[a.length - 2];
  const k = transposeA ? a[a.length - 2] : a[a.length - 1];
  const n = transposeB ? b[b.length - 2] : b[b.length - 1];
  const batch = a.slice(0, -2).reduce((p, d) => p * d, 1);
  return { name, shapeClass, a, b, transposeA, transposeB, bias, flops: 2 * batch * m * n * k };
}

/** A layer x W [in, out] over `rows` tokens: forward (+bias), dX = dY W^T, dW = X^T dY. */
function layer(
  name: string,
  shapeClass: MatMulShapeClass,
  rows: number,
  inDim: number,
  outDim: number,
  inputGrad = true,
): MatMulBenchShape[] {
  return [
    product(`${name} fwd`, shapeClass, [rows, inDim], [inDim, outDim], false, false, true),
    ...(inputGrad ? [product(`${name} dX`, shapeClass, [rows, outDim], [inDim, outDim], false, true)] : []),
    product(`${name} dW`, shapeClass, [rows, inDim], [rows, outDim], true, false),
  ];
}

/** Every product of a training step of `widths` at `batch` clips. */
export function trainingMatMuls(widths: ModelWidths, batch: number, options: ShapeListOptions = {}): MatMulBenchShape[] {
  const te = batch * (options.encoderTokens ?? 400);
  const td = batch * (options.decoderTokens ?? 800);
  const w = widths;
  const shapes: MatMulBenchShape[] = [
    ...layer('qkv', 'linear', te, w.hidden, 3 * w.hidden),
    ...layer('attn-out', 'linear', te, w.hidden, w.hidden),
    ...layer('fc1', 'linear', te, w.hidden, w.intermediate),
    ...layer('fc2', 'linear', te, w.intermediate, w.hidden),
    ...layer('enc-to-dec', 'decoder', te, w.hidden, w.decoderHidden),
    ...layer('dec qkv', 'decoder', td, w.decoderHidden, 3 * w.decoderHidden),
    ...layer('dec attn-out', 'decoder', td, w.decoderHidden, w.decoderHidden),
    ...layer('dec fc1', 'decoder', td, w.decoderHidden, w.decoderIntermediate),
    ...layer('dec fc2', 'decoder', td, w.decoderIntermediate, w.decoderHidden),
    ...layer('dec head', 'decoder', td, w.decoderHidden, w.patchPixels),
    ...layer('tubelet', 'embedding', te, w.patchPixels, w.hidden, false),
    ...layer('classifier', 'classifier', batch, w.hidden, w.classes),
  ];
  const dh = w.hidden / w.heads;
  for (const n of options.attentionN ?? [80, 400, 800, 1600]) {
    const qk = [batch, w.heads, n, dh];
    const nn = [batch, w.heads, n, n];
    shapes.push(
      product(`attn N=${n} Q.K^T, dO.V^T`, 'attention', qk, qk, false, true),
      product(`attn N=${n} P.V, dS.K`, 'attention', nn, qk, false, false),
      product(`attn N=${n} P^T.dO, dS^T.Q`, 'attention', nn, qk, true, false),
    );
  }
  return shapes;
}
