import { VideoMAEModel, type LoadReport } from '../backbone/model.js';
import { parameterSpecs, type ParamPart } from '../backbone/parameters.js';
import { configFromHF, isHFConfig } from '../config/hf.js';
import { parseConfig, type VideoMAEConfig } from '../config/schema.js';
import { FLOAT_DTYPES } from './dtypes.js';
import { isKnownBuffer, normalizeKey } from './keys.js';
import { fromHFLayout } from './layout.js';
import { decodeEntry, readSafetensors, SafetensorsError, type SafetensorsEntry } from './safetensors.js';
import { CONFIG_METADATA_KEY } from './save.js';

export interface LoadOptions {
  /** Seed for parts the checkpoint lacks (decoder of a classifier, classifier of a pre-training model). */
  seed?: number;
  /** Name used in error messages (e.g. the file path). */
  source?: string;
  /** false: skip unexpected keys (listed in `loadReport.ignored`) instead of failing. Default true. */
  strict?: boolean;
}

/** Our config from any accepted form: our object, HF's config.json (object or text), or null (read from the file's metadata). */
function resolveLoadConfig(config: unknown, metadata: Record<string, string>, source: string): VideoMAEConfig {
  if (config === null || config === undefined) {
    const meta = metadata[CONFIG_METADATA_KEY];
    if (!meta)
      throw new Error(`${source}: no config given and the file carries none (metadata "${CONFIG_METADATA_KEY}"); pass the config.json`);
    return parseConfig(JSON.parse(meta), `${source} metadata config`);
  }
  if (typeof config === 'string') return configFromHF(config);
  if (typeof config === 'object' && isHFConfig(config as Record<string, unknown>)) return configFromHF(config as Record<string, unknown>);
  return parseConfig(config);
}

/**
 * Load a model from safetensors bytes: our files, and HF `VideoMAEForPreTraining` /
 * `VideoMAEForVideoClassification` / `VideoMAEModel` checkpoints in the current or legacy key
 * layout. Parts the checkpoint lacks are initialised fresh (seeded) and listed in
 * `model.loadReport.filled` / `filledParts`. Browser-safe: bytes in.
 */
export async function modelFromSafetensors(
  config: VideoMAEConfig | Record<string, unknown> | string | null | undefined,
  bytes: Uint8Array | ArrayBuffer,
  options: LoadOptions = {},
): Promise<VideoMAEModel> {
  return loadModelSync(config, bytes, options);
}

/** Synchronous `modelFromSafetensors`. */
export function loadModelSync(
  config: VideoMAEConfig | Record<string, unknown> | string | null | undefined,
  bytes: Uint8Array | ArrayBuffer,
  options: LoadOptions = {},
): VideoMAEModel {
  const source = options.source ?? 'checkpoint';
  const file = readSafetensors(bytes, source);
  const cfg = resolveLoadConfig(config, file.metadata, source);
  const specs = parameterSpecs(cfg);
  const byName = new Map(specs.map((s) => [s.name, s]));
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };

  const found = new Map<string, SafetensorsEntry>();
  const ignored: string[] = [];
  const unexpected: string[] = [];
  let legacy = false;
  let current = false;
  let prefixed = false;
  for (const [key, entry] of file.tensors) {
    const n = normalizeKey(key);
    if (!byName.has(n.name)) {
      if (isKnownBuffer(n.name) || options.strict === false) ignored.push(key);
      else unexpected.push(key);
      continue;
    }
    if (found.has(n.name)) fail(`tensors "${found.get(n.name)!.name}" and "${key}" both map to parameter "${n.name}"`);
    found.set(n.name, entry);
    if (n.legacy) legacy = true;
    else if (/attention\.attention\.key\.bias$/.test(n.name)) current = true;
    if (n.name.startsWith('videomae.') && n.prefixed) prefixed = true;
  }
  if (legacy && current) fail('mixes the legacy (q_bias/v_bias) and current (query/key/value bias) attention layouts');
  if (unexpected.length) {
    const hint =
      !cfg.qkvBias && unexpected.some((k) => /_bias$|\.(query|key|value)\.bias$/.test(k))
        ? ' The file has attention biases: set qkvBias (HF qkv_bias) to true.'
        : !cfg.useMeanPooling && unexpected.some((k) => k.startsWith('fc_norm.'))
          ? ' The file has fc_norm: set useMeanPooling to true.'
          : '';
    fail(`unexpected tensors not in this model (check the config: numLayers, decoderNumLayers, ...): ${unexpected.join(', ')}.${hint}`);
  }

  // Missing parameters: a whole absent part is initialised fresh; a partly present part is an error.
  const values = new Map<string, Float32Array>();
  const filled: string[] = [];
  const missing: string[] = [];
  const present = new Set<ParamPart>();
  for (const spec of specs) if (found.has(spec.name)) present.add(spec.part);
  if (!present.has('encoder')) fail('holds no encoder weights (videomae.embeddings.* / videomae.encoder.*): not a VideoMAE checkpoint?');
  for (const spec of specs) {
    const entry = found.get(spec.name);
    if (!entry) {
      if (legacy && /attention\.attention\.key\.bias$/.test(spec.name)) continue; // legacy: key bias is zero by definition
      if (!present.has(spec.part)) filled.push(spec.name);
      else missing.push(spec.name);
      continue;
    }
    if (!FLOAT_DTYPES.includes(entry.dtype))
      fail(`tensor "${entry.name}": dtype ${entry.dtype} is not a float type; parameters must be F32, F16, BF16 or F64`);
    if (entry.shape.join(',') !== spec.hfShape.join(',')) {
      const hint = spec.name.startsWith('classifier.')
        ? ` (the checkpoint has ${entry.shape[0]} classes: set numClasses to ${entry.shape[0]}, or load without its classifier)`
        : " (check the config against the checkpoint's config.json)";
      fail(`tensor "${entry.name}": shape [${entry.shape.join(', ')}] but this config needs [${spec.hfShape.join(', ')}]${hint}`);
    }
    values.set(spec.name, fromHFLayout(spec, decodeEntry(entry) as Float32Array));
  }
  if (missing.length) fail(`missing tensors: ${missing.join(', ')}`);
  const model = new VideoMAEModel(cfg, { seed: options.seed ?? 0, values });
  const report: LoadReport = {
    filled,
    filledParts: (['encoder', 'classifier', 'decoder'] as ParamPart[]).filter((p) => !present.has(p)),
    ignored,
    layout: legacy ? 'legacy' : current ? 'current' : 'none',
    prefixed,
  };
  model.loadReport = report;
  return model;
}
