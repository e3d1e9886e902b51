// Cost of an AdaTosk configuration at inference, next to the full-token ViT classifier. The
// encoder counting is the backbone's countFlops (matrix products incl. QK^T and AV); this adds the
// visible/kept token counts AdaTosk implies and the soft mask's own products.
import { resolveConfig, type PresetName } from '../config/presets.js';
import type { VideoMAEConfig } from '../config/schema.js';
import { tokenGrid } from '../config/grid.js';
import { countFlops, type FlopCount } from '../flops/flops.js';
import { keptCount } from './selection.js';

export interface AdaToskFlopsOptions {
  /** Clip size (default: the config's). */
  frames?: number;
  height?: number;
  width?: number;
  /** Inference hard-mask ratio (tube: `round(rhoHInfer * N)` positions hidden per slot). Default 0.5. */
  rhoHInfer?: number;
  /** Soft keep ratio. Default 0.5. */
  rhoS?: number;
  /** Layer after which tokens are selected (default: numLayers). */
  selectAtLayer?: number;
  /**
   * Tokens the encoder sees, when the inference hard mask is not the tube of `rhoHInfer` (for example
   * a `none` hard mask, which hides nothing). Wins over `rhoHInfer`.
   */
  visibleTokens?: number;
  /** Whether the soft mask is computed (default true); false for a plain ViT on the visible tokens. */
  softMask?: boolean;
}

export interface AdaToskFlops {
  /** Full-token ViT classifier (every token through every layer). */
  full: FlopCount;
  /** The AdaTosk inference path, with a `softMask` part. */
  adatosk: FlopCount;
  /** adatosk.flops / full.flops. */
  ratio: number;
  settings: Required<Pick<AdaToskFlopsOptions, 'rhoHInfer' | 'rhoS' | 'selectAtLayer'>> & { frames: number; height: number; width: number };
}

/** FLOPs of AdaTosk inference (hard ratio, soft ratio, selectAtLayer) and of the full-token model. */
export function countAdaToskFlops(config: PresetName | VideoMAEConfig, options: AdaToskFlopsOptions = {}): AdaToskFlops {
  const cfg = resolveConfig(config);
  const frames = options.frames ?? cfg.numFrames;
  const height = options.height ?? cfg.imageSize;
  const width = options.width ?? height;
  const rhoHInfer = options.rhoHInfer ?? 0.5;
  const rhoS = options.rhoS ?? 0.5;
  const selectAtLayer = options.selectAtLayer ?? cfg.numLayers;
  if (!(rhoHInfer >= 0 && rhoHInfer < 1)) throw new RangeError(`rhoHInfer must be in [0, 1), got ${rhoHInfer}`);
  if (!(rhoS > 0 && rhoS <= 1)) throw new RangeError(`rhoS must be in (0, 1], got ${rhoS}`);
  const grid = tokenGrid(cfg, frames, height, width);
  const n = grid.height * grid.width;
  // The inference mask is a tube: the same round(rho * N) positions hidden in every slot.
  const visible = options.visibleTokens ?? grid.frames * (n - Math.round(rhoHInfer * n));
  if (!(Number.isInteger(visible) && visible >= 1 && visible <= grid.tokens)) {
    throw new RangeError(
      `the inference mask leaves ${visible} of the ${grid.tokens} tokens of a ${grid.frames}x${grid.height}x${grid.width} grid visible; at least one must be`,
    );
  }
  const withMask = options.softMask ?? true;
  const kept = withMask ? keptCount(visible, rhoS) : visible;
  const size = { frames, height, width };
  const full = countFlops(cfg, size);
  const base = countFlops(cfg, { ...size, visibleTokens: visible, selectAtLayer, keptTokens: kept });
  // Soft mask products: per-token class activations (V*D*C), the predicted class (D*C), cosine to
  // the temporal neighbour and the norms (about 3*V*D), and the weighted pooling (K*D).
  const d = cfg.hiddenSize;
  const maskMacs = withMask ? visible * d * cfg.numClasses + d * cfg.numClasses + 3 * visible * d + kept * d : 0;
  const parts = withMask ? { ...base.parts, softMask: { flops: 2 * maskMacs, macs: maskMacs } } : base.parts;
  const macs = base.macs + maskMacs;
  const adatosk: FlopCount = { ...base, parts, macs, flops: 2 * macs, gmacs: macs / 1e9, gflops: (2 * macs) / 1e9 };
  return { full, adatosk, ratio: adatosk.flops / full.flops, settings: { rhoHInfer, rhoS, selectAtLayer, frames, height, width } };
}
