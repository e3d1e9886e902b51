// Loading and saving models on disk, on top of core's byte-level safetensors API.
import { join } from 'node:path';
import { modelFromSafetensors, type LoadOptions, type VideoMAEModel } from '@adatosk/core';
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
