import type { VideoMAEConfig } from './schema.js';

export interface TokenGrid {
  /** Temporal slots T' = frames / tubeletSize. */
  frames: number;
  /** Patch rows H / patchSize. */
  height: number;
  /** Patch columns W / patchSize. */
  width: number;
  /** Tokens L = T' * height * width, temporal-major. */
  tokens: number;
  /** Values per token: tubeletSize * patchSize^2 * numChannels. */
  patchDim: number;
}

/** The token grid of a clip of `frames x height x width` (defaults: the config's). */
export function tokenGrid(config: VideoMAEConfig, frames = config.numFrames, height = config.imageSize, width = height): TokenGrid {
  const { tubeletSize: t, patchSize: p } = config;
  if (frames % t !== 0) throw new Error(`frames ${frames} is not a multiple of tubeletSize ${t}`);
  if (height % p !== 0 || width % p !== 0) throw new Error(`clip size ${height}x${width} is not a multiple of patchSize ${p}`);
  const g = { frames: frames / t, height: height / p, width: width / p };
  return { ...g, tokens: g.frames * g.height * g.width, patchDim: t * p * p * config.numChannels };
}
