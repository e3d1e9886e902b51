import { parseConfig, type VideoMAEConfig } from './schema.js';

// Shared by all presets: HF VideoMAE defaults (decoder of the VideoMAE paper, norm_pix_loss, mean pooling).
const common = {
  numChannels: 3,
  layerNormEps: 1e-12,
  normPixLoss: true,
  useMeanPooling: true,
  qkvBias: true,
  numClasses: 7,
} as const;

/**
 * `quickstart`: the model `adatosk train` trains with no arguments, sized to learn the synthetic data on
 * two CPU cores in minutes (8 frames of 32x32, tubelet 2, patch 8 => 4 slots x 16 positions = 64 tokens,
 * width 64, 1 layer; the quick start selects tokens at the patch embeddings, so the layer runs on the kept
 * ones). `tiny`: the test/demo preset (8 frames of 64x64, patch 16 => 64 tokens, width 96, 4 layers).
 * `small`/`base`: ViT-S/ViT-B at 16x160x160.
 */
export const presets = {
  quickstart: {
    ...common,
    numFrames: 8,
    imageSize: 32,
    patchSize: 8,
    tubeletSize: 2,
    hiddenSize: 64,
    numLayers: 1,
    numHeads: 4,
    intermediateSize: 256,
    decoderHiddenSize: 64,
    decoderNumLayers: 1,
    decoderNumHeads: 4,
    decoderIntermediateSize: 256,
  },
  tiny: {
    ...common,
    numFrames: 8,
    imageSize: 64,
    patchSize: 16,
    tubeletSize: 2,
    hiddenSize: 96,
    numLayers: 4,
    numHeads: 4,
    intermediateSize: 384,
    decoderHiddenSize: 64,
    decoderNumLayers: 1,
    decoderNumHeads: 4,
    decoderIntermediateSize: 256,
  },
  small: {
    ...common,
    numFrames: 16,
    imageSize: 160,
    patchSize: 16,
    tubeletSize: 2,
    hiddenSize: 384,
    numLayers: 12,
    numHeads: 6,
    intermediateSize: 1536,
    decoderHiddenSize: 192,
    decoderNumLayers: 4,
    decoderNumHeads: 3,
    decoderIntermediateSize: 768,
  },
  base: {
    ...common,
    numFrames: 16,
    imageSize: 160,
    patchSize: 16,
    tubeletSize: 2,
    hiddenSize: 768,
    numLayers: 12,
    numHeads: 12,
    intermediateSize: 3072,
    decoderHiddenSize: 384,
    decoderNumLayers: 4,
    decoderNumHeads: 6,
    decoderIntermediateSize: 1536,
  },
} satisfies Record<string, VideoMAEConfig>;

export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as PresetName[];

/** A preset (by name) or a full config, with overrides applied and the result validated. */
export function resolveConfig(base: PresetName | VideoMAEConfig, overrides: Partial<VideoMAEConfig> = {}): VideoMAEConfig {
  let start: VideoMAEConfig;
  if (typeof base === 'string') {
    if (!(base in presets)) throw new Error(`Unknown preset "${base}"; choose one of: ${presetNames.join(', ')}`);
    start = presets[base];
  } else start = base;
  return parseConfig({ ...start, ...overrides }, typeof base === 'string' ? `config (preset "${base}" + overrides)` : 'config');
}
