import { decodeEntry, readSafetensors, writeSafetensors, type WritableTensor } from '../checkpoint/safetensors.js';

/**
 * Rewrite a current-layout HF VideoMAE checkpoint into the legacy one: `query.bias` ->
 * `q_bias`, `value.bias` -> `v_bias`, key biases dropped (HF's older VideoMAESelfAttention).
 * Optionally strips the `videomae.` prefix (a bare VideoMAEModel checkpoint).
 */
export function toLegacyCheckpoint(bytes: Uint8Array, options: { stripPrefix?: boolean } = {}): Uint8Array {
  const file = readSafetensors(bytes, 'legacy conversion');
  const out: Record<string, WritableTensor> = {};
  for (const [name, entry] of file.tensors) {
    if (/attention\.attention\.key\.bias$/.test(name)) continue;
    let key = name
      .replace(/attention\.attention\.query\.bias$/, 'attention.attention.q_bias')
      .replace(/attention\.attention\.value\.bias$/, 'attention.attention.v_bias');
    if (options.stripPrefix) key = key.replace(/^videomae\./, '');
    const data = decodeEntry(entry);
    const dtype = data instanceof Float32Array ? 'F32' : data instanceof Int32Array ? 'I32' : 'U8';
    out[key] = { dtype, shape: entry.shape, data };
  }
  return writeSafetensors(out, file.metadata);
}
