export { countFlops, type FlopOptions, type FlopCount } from './flops.js';
export { countParams, type ParamCount } from './params.js';
