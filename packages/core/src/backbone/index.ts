export { VideoMAEModel, createModel, initialValues, type LoadReport } from './model.js';
export { parameterSpecs, type ParamSpec, type ParamPart, type ParamLayout, type ParamInit } from './parameters.js';
export { maskIndex, readMask, type MaskIndex, type HardMaskInput } from './indices.js';
export { transformerBlock, blockParams, type BlockParams } from './block.js';
export { selfAttention, type AttentionParams } from './attention.js';
