import { tokenGrid } from '../config/grid.js';
import type { VideoMAEConfig } from '../config/schema.js';

export interface FlopOptions {
  /** Clip size (default: the config's numFrames / imageSize). */
  frames?: number;
  height?: number;
  width?: number;
  /** Tokens the encoder sees (default: all). Wins over `hiddenRatio`. */
  visibleTokens?: number;
  /** Fraction of tokens hidden by the hard mask: visible = L - round(hiddenRatio * L). */
  hiddenRatio?: number;
  /** AdaTosk: encoder layers `selectAtLayer..numLayers-1` run on `keptTokens` only. */
  selectAtLayer?: number;
  keptTokens?: number;
  /** Add the pre-training decoder (on visible + hidden tokens; head on hidden ones). Default false. */
  includeDecoder?: boolean;
  /** Add the classifier head (default true). */
  includeClassifier?: boolean;
}

export interface FlopCount {
  /** Floating-point operations, a multiply-add counted as 2. */
  flops: number;
  /** Multiply-accumulates (= flops / 2). */
  macs: number;
  gflops: number;
  gmacs: number;
  /** Per part: `embeddings`, `encoder.qkv`, `encoder.attention` (QK^T + AV), `encoder.proj`, `encoder.mlp`, `classifier`, `decoder.*`. */
  parts: Record<string, { flops: number; macs: number }>;
  /** Token counts used. */
  tokens: { total: number; visible: number; kept: number; hidden: number };
}

/** Multiply-accumulates of one transformer block on `n` tokens of width `d` (MLP width `inner`). */
function blockMacs(n: number, d: number, inner: number) {
  return { qkv: 3 * n * d * d, attention: 2 * n * n * d, proj: n * d * d, mlp: 2 * n * d * inner };
}

/**
 * Forward cost of one clip, counting the matrix products (linear layers, the tubelet embedding,
 * QK^T and AV), which are all but a fraction of a percent of the total; normalisation, softmax and
 * GELU are not counted (the convention of the VideoMAE/DFER papers and fvcore).
 */
export function countFlops(config: VideoMAEConfig, options: FlopOptions = {}): FlopCount {
  const grid = tokenGrid(config, options.frames, options.height, options.width ?? options.height);
  const total = grid.tokens;
  let visible = total;
  if (options.visibleTokens !== undefined) visible = options.visibleTokens;
  else if (options.hiddenRatio !== undefined) {
    if (!(options.hiddenRatio >= 0 && options.hiddenRatio < 1))
      throw new Error(`hiddenRatio must be in [0, 1), got ${options.hiddenRatio}`);
    visible = total - Math.round(options.hiddenRatio * total);
  }
  if (!(Number.isInteger(visible) && visible >= 1 && visible <= total))
    throw new Error(`visibleTokens must be an integer in [1, ${total}], got ${visible}`);
  const selectAt = options.selectAtLayer ?? config.numLayers;
  if (!(Number.isInteger(selectAt) && selectAt >= 0 && selectAt <= config.numLayers))
    throw new Error(`selectAtLayer must be an integer in [0, ${config.numLayers}], got ${selectAt}`);
  const kept = options.keptTokens ?? visible;
  if (!(Number.isInteger(kept) && kept >= 1 && kept <= visible))
    throw new Error(`keptTokens must be an integer in [1, visibleTokens=${visible}], got ${kept}`);
  const hidden = total - visible;

  const macs: Record<string, number> = {};
  const add = (k: string, v: number) => (macs[k] = (macs[k] ?? 0) + v);
  const d = config.hiddenSize;
  add('embeddings', visible * grid.patchDim * d);
  for (let i = 0; i < config.numLayers; i++) {
    const n = i < selectAt ? visible : kept;
    const b = blockMacs(n, d, config.intermediateSize);
    add('encoder.qkv', b.qkv);
    add('encoder.attention', b.attention);
    add('encoder.proj', b.proj);
    add('encoder.mlp', b.mlp);
  }
  if (options.includeClassifier ?? true) add('classifier', d * config.numClasses);
  if (options.includeDecoder) {
    const dd = config.decoderHiddenSize;
    add('decoder.embed', visible * d * dd);
    for (let i = 0; i < config.decoderNumLayers; i++) {
      const b = blockMacs(total, dd, config.decoderIntermediateSize);
      add('decoder.blocks', b.qkv + b.attention + b.proj + b.mlp);
    }
    add('decoder.head', hidden * dd * grid.patchDim);
  }
  const parts: FlopCount['parts'] = {};
  let sum = 0;
  for (const [k, v] of Object.entries(macs)) {
    parts[k] = { flops: 2 * v, macs: v };
    sum += v;
  }
  return { flops: 2 * sum, macs: sum, gflops: (2 * sum) / 1e9, gmacs: sum / 1e9, parts, tokens: { total, visible, kept, hidden } };
}
