export { confusionMatrix, metricsFromConfusion, computeMetrics, argmaxRows, summarize, type Summary } from './metrics.js';
export { evaluate, type EvalData, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
export { runKFold, type KFoldResult } from './kfold.js';
