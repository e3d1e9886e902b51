import type { VideoMAEConfig } from '../config/schema.js';

/** Which model part a parameter belongs to (HF: VideoMAEModel, the classifier head, the pre-training decoder). */
export type ParamPart = 'encoder' | 'classifier' | 'decoder';
/**
 * How our stored layout differs from HF's: `linear` weights are [in, out] (HF [out, in]); the
 * `patch` embedding is [t*p*p*C, D] with rows in (tubelet, row, col, channel) order (HF's Conv3d
 * weight is [D, C, t, p, p]); `plain` tensors are stored as in HF.
 */
export type ParamLayout = 'linear' | 'patch' | 'plain';
export type ParamInit = 'normal' | 'zeros' | 'ones';

export interface ParamSpec {
  /** HF state-dict key (current layout), e.g. `videomae.encoder.layer.3.attention.attention.query.weight`. */
  name: string;
  part: ParamPart;
  layout: ParamLayout;
  /** Our stored shape. */
  shape: number[];
  /** Shape in an HF checkpoint. */
  hfShape: number[];
  init: ParamInit;
}

/** Every parameter of the joint model (encoder + classifier + pre-training decoder), in a stable order. */
export function parameterSpecs(config: VideoMAEConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const { hiddenSize: d, tubeletSize: t, patchSize: p, numChannels: c } = config;
  const patchDim = t * p * p * c;
  const vector = (name: string, part: ParamPart, n: number, init: ParamInit) =>
    specs.push({ name, part, layout: 'plain', shape: [n], hfShape: [n], init });
  const dense = (name: string, part: ParamPart, inDim: number, outDim: number, bias = true) => {
    specs.push({ name: `${name}.weight`, part, layout: 'linear', shape: [inDim, outDim], hfShape: [outDim, inDim], init: 'normal' });
    if (bias) vector(`${name}.bias`, part, outDim, 'zeros');
  };
  const norm = (name: string, part: ParamPart, n: number) => {
    vector(`${name}.weight`, part, n, 'ones');
    vector(`${name}.bias`, part, n, 'zeros');
  };
  const block = (prefix: string, part: ParamPart, width: number, inner: number) => {
    const att = `${prefix}.attention.attention`;
    for (const proj of ['query', 'key', 'value']) dense(`${att}.${proj}`, part, width, width, config.qkvBias);
    dense(`${prefix}.attention.output.dense`, part, width, width);
    dense(`${prefix}.intermediate.dense`, part, width, inner);
    dense(`${prefix}.output.dense`, part, inner, width);
    norm(`${prefix}.layernorm_before`, part, width);
    norm(`${prefix}.layernorm_after`, part, width);
  };

  specs.push({
    name: 'videomae.embeddings.patch_embeddings.projection.weight',
    part: 'encoder',
    layout: 'patch',
    shape: [patchDim, d],
    hfShape: [d, c, t, p, p],
    init: 'normal',
  });
  vector('videomae.embeddings.patch_embeddings.projection.bias', 'encoder', d, 'zeros');
  for (let i = 0; i < config.numLayers; i++) block(`videomae.encoder.layer.${i}`, 'encoder', d, config.intermediateSize);
  if (!config.useMeanPooling) norm('videomae.layernorm', 'encoder', d);

  if (config.useMeanPooling) norm('fc_norm', 'classifier', d);
  dense('classifier', 'classifier', d, config.numClasses);

  const dd = config.decoderHiddenSize;
  dense('encoder_to_decoder', 'decoder', d, dd, false);
  specs.push({ name: 'mask_token', part: 'decoder', layout: 'plain', shape: [1, 1, dd], hfShape: [1, 1, dd], init: 'zeros' });
  for (let i = 0; i < config.decoderNumLayers; i++) block(`decoder.decoder_layers.${i}`, 'decoder', dd, config.decoderIntermediateSize);
  norm('decoder.norm', 'decoder', dd);
  dense('decoder.head', 'decoder', dd, patchDim);
  return specs;
}
