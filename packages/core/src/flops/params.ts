import { parameterSpecs, type ParamPart } from '../backbone/parameters.js';
import type { VideoMAEConfig } from '../config/schema.js';

export interface ParamCount {
  total: number;
  /** By area: `embeddings`, `encoder.layers`, `encoder.norm`, `classifier` (fc_norm + linear), `decoder`. */
  parts: Record<string, number>;
}

/**
 * Parameters of the classification model (HF `VideoMAEForVideoClassification`), plus the
 * pre-training decoder with `includeDecoder`. Counts HF's current layout (query, key and value biases).
 */
export function countParams(config: VideoMAEConfig, options: { includeDecoder?: boolean; includeClassifier?: boolean } = {}): ParamCount {
  const include: Record<ParamPart, boolean> = {
    encoder: true,
    classifier: options.includeClassifier ?? true,
    decoder: options.includeDecoder ?? false,
  };
  const parts: Record<string, number> = {};
  let total = 0;
  for (const spec of parameterSpecs(config)) {
    if (!include[spec.part]) continue;
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const area =
      spec.part !== 'encoder'
        ? spec.part
        : spec.name.startsWith('videomae.embeddings.')
          ? 'embeddings'
          : spec.name.startsWith('videomae.layernorm.')
            ? 'encoder.norm'
            : 'encoder.layers';
    parts[area] = (parts[area] ?? 0) + n;
    total += n;
  }
  return { total, parts };
}
