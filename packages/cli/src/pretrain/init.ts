// Where fine-tuning starts from (`adatosk train --init <path>`, config key `model.pretrained`): a run folder of
// `adatosk pretrain` or `adatosk train`, a weights file (ours or Hugging Face VideoMAE), or a training checkpoint.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONFIG_METADATA_KEY,
  decodeTrainState,
  parameterSpecs,
  parseConfig,
  readSafetensors,
  writeSafetensors,
  type WritableTensor,
} from '@adatosk/core';
import { toHFLayout } from '@adatosk/core/internal';
import { CliError } from '../errors.js';
import { resolveCheckpoint } from '../run/store.js';

/** The weights file `adatosk pretrain` writes into its run folder (encoder and decoder, no classifier). */
export const PRETRAINED_WEIGHTS = 'model.safetensors';

/** Header key of a training checkpoint (core's `encodeTrainState`). */
const TRAIN_STATE_KEY = 'adatosk.train';

/** The run kind a pre-training checkpoint records in its metadata. */
export const PRETRAIN_KIND = 'pretrain';

async function readBytes(file: string): Promise<Uint8Array> {
  const buf = await readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function isTrainState(bytes: Uint8Array, file: string): boolean {
  try {
    return TRAIN_STATE_KEY in readSafetensors(bytes, file).metadata;
  } catch (e) {
    throw new CliError(`${file}: not a safetensors file (${(e as Error).message}); give a weights file, a checkpoint or a run folder`, 2);
  }
}

/**
 * A training checkpoint's weights as a model file (HF names and layouts, our config in the metadata). The
 * classifier is dropped from pre-training checkpoints: it never trained, and the fine-tuning run decides the
 * class count.
 */
export function weightsOfTrainState(bytes: Uint8Array, file: string): Uint8Array {
  const state = decodeTrainState(bytes, file);
  const meta = (state.meta ?? {}) as { modelConfig?: unknown; kind?: string };
  if (!meta.modelConfig)
    throw new CliError(`${file}: the checkpoint records no model config; it was not written by 'adatosk train' or 'adatosk pretrain'`, 2);
  const config = parseConfig(meta.modelConfig, `${file} (model config)`);
  const pretrain = meta.kind === PRETRAIN_KIND;
  const tensors: Record<string, WritableTensor> = {};
  for (const spec of parameterSpecs(config)) {
    if (pretrain && spec.part === 'classifier') continue;
    const w = state.weights[spec.name];
    if (!w) throw new CliError(`${file}: the checkpoint has no weights for '${spec.name}'`, 2);
    tensors[spec.name] = { dtype: 'F32', shape: spec.hfShape, data: toHFLayout(spec, w.data) };
  }
  return writeSafetensors(tensors, { format: 'pt', [CONFIG_METADATA_KEY]: JSON.stringify(config) });
}

/**
 * Weights to start from: a folder's `model.safetensors` (else its newest checkpoint), a weights file, or a
 * training checkpoint (converted with {@link weightsOfTrainState}).
 */
export async function readInitWeights(path: string): Promise<{ bytes: Uint8Array; file: string }> {
  const s = await stat(path).catch(() => null);
  if (!s)
    throw new CliError(
      `model.pretrained (--init) '${path}' does not exist; give a run folder of 'adatosk pretrain', a .safetensors file or a checkpoint`,
      2,
    );
  let file = path;
  if (s.isDirectory())
    file = existsSync(join(path, PRETRAINED_WEIGHTS)) ? join(path, PRETRAINED_WEIGHTS) : await resolveCheckpoint(path, 'last');
  const bytes = await readBytes(file);
  return { bytes: isTrainState(bytes, file) ? weightsOfTrainState(bytes, file) : bytes, file };
}
