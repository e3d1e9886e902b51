// Which parameters decay and how fast each layer learns (layer-wise LR decay, BEiT/VideoMAE style).

/**
 * Layer id of a parameter from its Hugging Face-style name: embeddings are 0, encoder block i is i + 1,
 * everything after the encoder (fc_norm, classifier, decoder, mask heads) is numLayers + 1.
 */
export function layerIdOf(name: string, numLayers: number): number {
  const block = /(?:^|\.)(?:encoder\.)?layers?\.(\d+)\./.exec(name);
  if (block && /encoder/.test(name) && !/decoder/.test(name)) return Number(block[1]) + 1;
  if (/embeddings|patch_embed|pos_embed|cls_token/.test(name) && !/decoder/.test(name)) return 0;
  return numLayers + 1;
}

/** Multiplier of the base learning rate: decay^(numLayers + 1 - layerId). decay = 1 disables it. */
export function layerLrScale(name: string, numLayers: number, decay: number): number {
  if (decay === 1) return 1;
  return Math.pow(decay, numLayers + 1 - layerIdOf(name, numLayers));
}

/**
 * No weight decay on biases, norms (1-D parameters), position tables and mask tokens, as in MAE/VideoMAE's
 * `get_parameter_groups` (which skips `len(shape) == 1`, `.bias` and the `no_weight_decay` names).
 */
export function usesWeightDecay(name: string, shape: readonly number[]): boolean {
  if (shape.length <= 1) return false;
  if (/\.bias$|bias$/.test(name)) return false;
  if (/norm|layernorm|LayerNorm/.test(name)) return false;
  if (/position|pos_embed|mask_token|cls_token/.test(name)) return false;
  return true;
}
