// @adatosk/cli: the `adatosk` binary's entry (`main`) and the command functions, callable in-process.
export { main, root, commands } from './main.js';
export { CliError } from './errors.js';
export { captureIo, processIo, type Io } from './io.js';
export { configSchema, type RunConfig, type RunConfigInput } from './config/schema.js';
export { loadConfig, validateConfig, mergeConfig, formatIssues } from './config/load.js';
export type { Obj as ConfigObject } from './config/load.js';
export { runTrain, type TrainCliOptions, type TrainCliResult } from './commands/train.js';
export { runEval, type EvalCliOptions, type EvalCliResult, type SingleEvalResult, type KFoldEvalResult } from './commands/eval.js';
export { runPredict, type PredictCliOptions, type PredictCliResult } from './commands/predict.js';
export { runVisualize, type VisualizeCliOptions } from './commands/visualize.js';
export { runBench, type BenchCliOptions, type BenchResult } from './commands/bench.js';
export { runInfo, type InfoResult } from './commands/info.js';
export { runDatasetsCheck, runDatasetsList, type DatasetsCheckOptions } from './commands/datasets.js';
export { runDatasetsPrepare, type DatasetsPrepareOptions, type DatasetsPrepareResult } from './commands/datasets/prepare-cache.js';
export { runPipelineBench, type PipelineBenchOptions, type PipelineBenchResult, type PipelineRate } from './bench/pipeline.js';
export { RunStore, resolveCheckpoint } from './run/store.js';
export { VERSION } from './version.js';
