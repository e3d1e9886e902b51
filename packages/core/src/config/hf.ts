import { parseConfig, type VideoMAEConfig } from './schema.js';

/** Our camelCase key => HF `VideoMAEConfig` key, with HF's default when the key is absent. */
const hfKeys: [keyof VideoMAEConfig, string, unknown][] = [
  ['numFrames', 'num_frames', 16],
  ['imageSize', 'image_size', 224],
  ['patchSize', 'patch_size', 16],
  ['tubeletSize', 'tubelet_size', 2],
  ['numChannels', 'num_channels', 3],
  ['hiddenSize', 'hidden_size', 768],
  ['numLayers', 'num_hidden_layers', 12],
  ['numHeads', 'num_attention_heads', 12],
  ['intermediateSize', 'intermediate_size', 3072],
  ['decoderHiddenSize', 'decoder_hidden_size', 384],
  ['decoderNumLayers', 'decoder_num_hidden_layers', 4],
  ['decoderNumHeads', 'decoder_num_attention_heads', 6],
  ['decoderIntermediateSize', 'decoder_intermediate_size', 1536],
  ['layerNormEps', 'layer_norm_eps', 1e-12],
  ['normPixLoss', 'norm_pix_loss', true],
  ['useMeanPooling', 'use_mean_pooling', true],
  ['qkvBias', 'qkv_bias', true],
];

const defaultLabel = /^LABEL_\d+$/;

/** Is this object HF-style (snake_case `config.json`) rather than ours? */
export function isHFConfig(json: Record<string, unknown>): boolean {
  return 'model_type' in json || 'hidden_size' in json || 'num_hidden_layers' in json || 'id2label' in json;
}

/**
 * Map a Hugging Face VideoMAE `config.json` (object or JSON text) to our config. Keys HF adds to
 * every model (dropout, torch dtype, architectures, ...) are ignored; the model-shaping ones are
 * mapped, and absent ones take HF's defaults.
 */
export function configFromHF(input: Record<string, unknown> | string, source = 'config.json'): VideoMAEConfig {
  let json: Record<string, unknown>;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
    }
  } else json = input;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${source}: expected a JSON object`);
  if (json.model_type !== undefined && json.model_type !== 'videomae')
    throw new Error(`${source}: model_type is "${String(json.model_type)}", expected "videomae"`);
  const act = json.hidden_act ?? 'gelu';
  if (act !== 'gelu') throw new Error(`${source}: hidden_act "${String(act)}" is not supported (only exact "gelu", as VideoMAE uses)`);
  const out: Record<string, unknown> = {};
  for (const [ours, theirs, fallback] of hfKeys) {
    let v = json[theirs] ?? fallback;
    if (ours === 'imageSize' && Array.isArray(v)) {
      if (v[0] !== v[1]) throw new Error(`${source}: image_size ${JSON.stringify(v)} is not square; only square images are supported`);
      v = v[0];
    }
    if (ours === 'patchSize' && Array.isArray(v)) v = v[0];
    out[ours] = v;
  }
  const id2label = json.id2label as Record<string, string> | undefined;
  let labels: string[] | undefined;
  if (id2label && typeof id2label === 'object') {
    const n = Object.keys(id2label).length;
    labels = Array.from({ length: n }, (_, i) => {
      const name = id2label[String(i)];
      if (typeof name !== 'string') throw new Error(`${source}: id2label has no entry "${i}" (ids must be 0..${n - 1})`);
      return name;
    });
  }
  const numLabels = (json.num_labels as number | undefined) ?? labels?.length ?? 2;
  out.numClasses = numLabels;
  if (labels && !labels.every((l) => defaultLabel.test(l))) out.labels = labels;
  return parseConfig(out, source);
}

/** Our config as a Hugging Face `config.json` object (loadable by transformers' VideoMAE classes). */
export function configToHF(config: VideoMAEConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { model_type: 'videomae', architectures: ['VideoMAEForVideoClassification'] };
  for (const [ours, theirs] of hfKeys) out[theirs] = config[ours];
  out.hidden_act = 'gelu';
  out.hidden_dropout_prob = 0;
  out.attention_probs_dropout_prob = 0;
  out.initializer_range = 0.02;
  const names = config.labels ?? Array.from({ length: config.numClasses }, (_, i) => `LABEL_${i}`);
  out.id2label = Object.fromEntries(names.map((n, i) => [String(i), n]));
  out.label2id = Object.fromEntries(names.map((n, i) => [n, i]));
  return out;
}
