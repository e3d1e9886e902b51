// The backbone the CLI tests train: `tiny` cut down to a few seconds per run (4 frames of 32 px, one layer).
// A test that changes a field spreads this and overrides it.
export const SMALL_TINY_OVERRIDES = {
  hiddenSize: 32,
  numLayers: 1,
  numHeads: 2,
  intermediateSize: 64,
  numFrames: 4,
  imageSize: 32,
  decoderHiddenSize: 32,
  decoderNumHeads: 2,
  decoderIntermediateSize: 64,
};
