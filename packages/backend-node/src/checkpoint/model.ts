// Loading and saving models on disk, on top of core's byte-level safetensors API.
import { join } from 'node:path';
import {
  adaToskFromSafetensors,
  modelFromSafetensors,
  type AdaToskModel,
  type AdaToskOptions,
  type LoadOptions,
  type VideoMAEModel,
} from '@adatosk/core';
import { writeFileAtomic } from './atomic.js';
import { CONFIG_FILE, WEIGHTS_FILE, readCheckpoint } from './files.js';

/** A serialised model: what `await model.toSafetensors()` returns. */
export interface SavedCheckpoint {
  configJson: string;
  safetensors: Uint8Array;
}

/** Loads a VideoMAE model from a checkpoint directory, `.safetensors` file or `config.json` path. */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<VideoMAEModel> {
  const ckpt = await readCheckpoint(path);
  return modelFromSafetensors(ckpt.config, ckpt.safetensors, { source: ckpt.weightsPath, ...options });
}

/**
 * Loads an AdaTosk model (inference `predict` + `softMasks`) from a checkpoint directory (an `adatosk train` run
 * folder included), `.safetensors` file or `config.json` path, with the AdaTosk options saved beside the weights
 * (`options` override them). The mask strategies must be registered first: `import '@adatosk/masks'`.
 */
export async function loadAdaTosk(path: string, options: AdaToskOptions & { load?: LoadOptions } = {}): Promise<AdaToskModel> {
  const ckpt = await readCheckpoint(path);
  const { load, ...adatosk } = options;
  return adaToskFromSafetensors(ckpt.config, ckpt.safetensors, {
    ...ckpt.adatosk,
    ...adatosk,
    load: { source: ckpt.weightsPath, ...load },
  });
}

/**
 * Saves `config.json` + `model.safetensors` into `dir` atomically (each file written to a temp file and
 * renamed; weights first so a config never points at missing weights). Accepts a model or its bytes.
 */
export async function saveCheckpoint(
  dir: string,
  model: SavedCheckpoint | { toSafetensors(): SavedCheckpoint | Promise<SavedCheckpoint> },
): Promise<{ configPath: string; weightsPath: string }> {
  // Models serialise asynchronously (reads are asynchronous only: WebGPU in Node has no dataSync).
  const saved = 'toSafetensors' in model ? await model.toSafetensors() : model;
  const weightsPath = join(dir, WEIGHTS_FILE);
  const configPath = join(dir, CONFIG_FILE);
  await writeFileAtomic(weightsPath, saved.safetensors);
  await writeFileAtomic(configPath, saved.configJson);
  return { configPath, weightsPath };
}
