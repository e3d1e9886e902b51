// The quick-start profile: what `adatosk train` with no arguments runs. Tuned (by profiling on 2 CPU cores, WASM)
// so the tiny model reaches WAR >= 85% on the synthetic test split in about three minutes. Each part applies
// only where it makes sense and is merged UNDER the user's own keys:
// - TINY_CLI_OVERRIDES: the `tiny` preset as the CLI trains it (core's tiny is 8x64x64, patch 16, width 96, 4 layers;
//   on CPU a 32 px input with patch 8 keeps the same 4x4 token grid at a quarter of the pixels).
// - SYNTHETIC_ADATOSK: AdaTosk options for the synthetic quick start (see docs/cli.md, "Quick start").
// - SYNTHETIC_DATA: the synthetic generator's difficulty for the quick start.

export const TINY_CLI_OVERRIDES: Record<string, unknown> = {
  imageSize: 32,
  patchSize: 8,
  hiddenSize: 64,
  numLayers: 1,
  numHeads: 4,
  intermediateSize: 256,
  decoderHiddenSize: 64,
  decoderNumLayers: 1,
  decoderNumHeads: 4,
  decoderIntermediateSize: 256,
};

export const SYNTHETIC_ADATOSK: Record<string, unknown> = {
  objective: 'classify',
  rhoH: 0,
  rhoHInfer: 0,
  rhoS: 0.25,
  softMask: { name: 'combined', options: { beta: 1 } },
};

export const SYNTHETIC_DATA: Record<string, unknown> = {
  activeSpan: [0.7, 1.0],
  jitter: 0,
  lighting: 0,
  clutter: 0,
  noise: 0,
  distractors: false,
  resample: true,
};
