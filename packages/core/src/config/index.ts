export { videoMAEConfigSchema, parseConfig, ConfigError, configKeys, type VideoMAEConfig } from './schema.js';
export { presets, presetNames, resolveConfig, type PresetName } from './presets.js';
export { configFromHF, configToHF, isHFConfig } from './hf.js';
export { tokenGrid, type TokenGrid } from './grid.js';
export { didYouMean } from './didYouMean.js';
