import type * as tf from '@tensorflow/tfjs-core';
import type { ParamSpec } from '../backbone/parameters.js';
import { configToHF } from '../config/hf.js';
import type { VideoMAEConfig } from '../config/schema.js';
import { toHFLayout } from './layout.js';
import { writeSafetensors, type WritableTensor } from './safetensors.js';

/** Our checkpoint: HF `config.json` (object and text) and `model.safetensors` bytes (HF key names and layouts). */
export interface SavedModel {
  config: Record<string, unknown>;
  configJson: string;
  safetensors: Uint8Array;
}

/** Metadata key under which the safetensors file also carries our config (so one file is enough to load). */
export const CONFIG_METADATA_KEY = 'adatosk.config';

/**
 * Serialise a model's variables in HF layout (float32) plus its config. Reads asynchronously (WebGPU in
 * Node has no synchronous read back), one variable at a time.
 */
export async function saveModel(model: {
  config: VideoMAEConfig;
  specs: readonly ParamSpec[];
  variables: Record<string, tf.Variable>;
}): Promise<SavedModel> {
  const tensors: Record<string, WritableTensor> = {};
  for (const spec of model.specs) {
    const data = (await model.variables[spec.name].data()) as Float32Array;
    tensors[spec.name] = { dtype: 'F32', shape: spec.hfShape, data: toHFLayout(spec, data) };
  }
  const config = configToHF(model.config);
  const configJson = `${JSON.stringify(config, null, 2)}\n`;
  const safetensors = writeSafetensors(tensors, { format: 'pt', [CONFIG_METADATA_KEY]: JSON.stringify(model.config) });
  return { config, configJson, safetensors };
}
