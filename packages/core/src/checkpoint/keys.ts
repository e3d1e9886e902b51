/**
 * Normalise a HF VideoMAE state-dict key to our (current-layout, `videomae.`-prefixed) name.
 * Handles: VideoMAEModel checkpoints without the `videomae.` prefix, and the legacy attention
 * layout (`attention.attention.q_bias` / `v_bias`, no key bias).
 */
export function normalizeKey(key: string): { name: string; prefixed: boolean; legacy: boolean } {
  let name = key;
  let prefixed = true;
  if (/^(embeddings|encoder|layernorm)\./.test(name)) {
    name = `videomae.${name}`;
    prefixed = false;
  }
  let legacy = false;
  const m = /^(.*\.attention\.attention)\.(q_bias|v_bias)$/.exec(name);
  if (m) {
    name = `${m[1]}.${m[2] === 'q_bias' ? 'query' : 'value'}.bias`;
    legacy = true;
  }
  return { name, prefixed, legacy };
}

/** HF buffers that are not parameters (recomputed here), skipped without complaint. */
export function isKnownBuffer(name: string): boolean {
  return /(^|\.)position_embeddings$/.test(name) || /(^|\.)position_ids$/.test(name);
}
