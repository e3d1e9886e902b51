// Finding and reading a checkpoint on disk: `config.json` + `model.safetensors` (Hugging Face layout), which is
// also what an `adatosk train` run folder holds.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readSafetensorsHeader, readSavedModelConfig, savedAdaToskOptions } from '@adatosk/core';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

export interface CheckpointFiles {
  /** `config.json` when present (a safetensors file may carry its config in its metadata instead). */
  configPath?: string;
  weightsPath: string;
}

export interface CheckpointBytes extends CheckpointFiles {
  /** The model config from `config.json` (null when there is none next to the weights: the file's metadata has it). */
  config: Record<string, unknown> | null;
  /** AdaTosk options saved with the model (config.json's `adatosk` or the weights' metadata), if any. */
  adatosk?: Record<string, unknown>;
  safetensors: Uint8Array;
}

async function kind(path: string): Promise<'file' | 'dir' | 'none'> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/**
 * Resolves a checkpoint path: a directory (holding model.safetensors and usually config.json), a
 * `.safetensors` file (config.json next to it is used when present), or a `config.json` (weights next to it).
 */
export async function resolveCheckpoint(path: string): Promise<CheckpointFiles> {
  const k = await kind(path);
  if (k === 'none')
    throw new Error(
      `Checkpoint '${path}' does not exist. Pass a directory holding ${WEIGHTS_FILE} (+ ${CONFIG_FILE}) or a .safetensors file.`,
    );
  if (k === 'dir') {
    const weightsPath = join(path, WEIGHTS_FILE);
    if ((await kind(weightsPath)) !== 'file') {
      const others = (await readdir(path)).filter((f) => f.endsWith('.safetensors'));
      const hint =
        others.length > 0 ? ` It holds ${others.join(', ')}: pass one of those files directly.` : ` It holds no .safetensors file.`;
      throw new Error(`Checkpoint directory '${path}' has no ${WEIGHTS_FILE}.${hint}`);
    }
    const configPath = join(path, CONFIG_FILE);
    return (await kind(configPath)) === 'file' ? { configPath, weightsPath } : { weightsPath };
  }
  if (basename(path) === CONFIG_FILE || path.endsWith('.json')) {
    const weightsPath = join(dirname(path), WEIGHTS_FILE);
    if ((await kind(weightsPath)) !== 'file') throw new Error(`Checkpoint config '${path}' has no ${WEIGHTS_FILE} next to it.`);
    return { configPath: path, weightsPath };
  }
  if (!path.endsWith('.safetensors')) {
    throw new Error(`Checkpoint '${path}' is neither a directory, a .safetensors file nor a config.json.`);
  }
  const configPath = join(dirname(path), CONFIG_FILE);
  return (await kind(configPath)) === 'file' ? { configPath, weightsPath: path } : { weightsPath: path };
}

/**
 * Reads a checkpoint's config (parsed, with the file named in errors) and weight bytes. A config.json holding an
 * `adatosk train` run's settings (AdaTosk.js 0.1 run folders) yields its model config. The weights are checked
 * against their header, so a cut-short file says "truncated" here rather than failing later.
 */
export async function readCheckpoint(path: string): Promise<CheckpointBytes> {
  const files = await resolveCheckpoint(path);
  let config: Record<string, unknown> | null = null;
  let adatosk: Record<string, unknown> | undefined;
  if (files.configPath !== undefined) {
    const text = await readFile(files.configPath, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(
        `${files.configPath}: invalid config JSON (${(err as Error).message}). Fix the file or remove it to use the config stored in the safetensors metadata.`,
      );
    }
    ({ config, adatosk } = readSavedModelConfig(parsed, files.configPath));
  }
  const buffer = await readFile(files.weightsPath);
  const safetensors = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const metadata = readSafetensorsHeader(safetensors, files.weightsPath).header.__metadata__ as Record<string, string> | undefined;
  adatosk ??= savedAdaToskOptions(metadata ?? {}, files.weightsPath);
  return { ...files, config, ...(adatosk ? { adatosk } : {}), safetensors };
}
