export { poolTokens, classifierHead, HEAD_NORM_EPS } from './classifier.js';
export { videoMAEDecoder, type DecoderParams } from './decoder.js';
