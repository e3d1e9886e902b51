// What a checkpoint folder's config.json may hold, read the same way by every loader (Node files, HTTP).
import { isHFConfig } from '../config/hf.js';
import { configKeys } from '../config/schema.js';

/** Metadata key under which an exported AdaTosk model carries the AdaTosk options it was trained with. */
export const ADATOSK_OPTIONS_METADATA_KEY = 'adatosk.options';

export interface SavedModelConfig {
  /** The model config to load with (HF `config.json` or ours). */
  config: Record<string, unknown>;
  /** AdaTosk options saved with the model (config.json's `adatosk`), if any. */
  adatosk?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a checkpoint's config JSON: an HF `config.json` or our config (optionally with the AdaTosk options under
 * `adatosk`), or the run settings an `adatosk train` run folder holds (run.json; AdaTosk.js 0.1 wrote them as
 * config.json), whose `modelConfig` is used. Anything else is refused in one line saying what to point at,
 * instead of a list of every config key.
 */
export function readSavedModelConfig(json: unknown, source: string): SavedModelConfig {
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object (a model config)`);
  const adatosk = isObject(json.adatosk) ? json.adatosk : undefined;
  if (isObject(json.modelConfig) && isObject(json.config)) {
    // An `adatosk train` run's settings: the training config, class names and the model config.
    return { config: json.modelConfig, ...(adatosk ? { adatosk } : {}) };
  }
  if (isHFConfig(json) || Object.keys(json).some((k) => (configKeys as readonly string[]).includes(k))) {
    const { adatosk: _a, ...config } = json;
    return { config, ...(adatosk ? { adatosk } : {}) };
  }
  const keys = Object.keys(json).slice(0, 6).join(', ');
  throw new Error(
    `${source} is not a model config (it holds ${keys || 'no keys'}). Point at a folder holding model.safetensors and ` +
      `config.json (what saveCheckpoint and 'adatosk train' write), or at the .safetensors file alone: it carries its config.`,
  );
}

/** The AdaTosk options in an exported model's safetensors metadata, if any. */
export function savedAdaToskOptions(metadata: Record<string, string>, source: string): Record<string, unknown> | undefined {
  const text = metadata[ADATOSK_OPTIONS_METADATA_KEY];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new Error(`${source}: metadata "${ADATOSK_OPTIONS_METADATA_KEY}" is not a JSON object`);
}
