// Progress is data: training and evaluation emit these events; the CLI renders them, tests assert them.

/** Metrics of one evaluation (see `computeMetrics`). */
export interface EvalMetrics {
  /** Unweighted average recall: mean over classes of per-class recall. */
  uar: number;
  /** Weighted average recall: plain accuracy. */
  war: number;
  /** Recall of each class (NaN for a class with no sample). */
  perClassRecall: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** Number of samples evaluated. */
  count: number;
  /** Mean cross-entropy of the averaged probabilities, when computed. */
  loss?: number;
}

export interface StartEvent {
  type: 'start';
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  batchSize: number;
  trainSize: number;
  /** Set when the run continues from a checkpoint. */
  resumedFrom?: { epoch: number; step: number };
}
export interface EpochStartEvent {
  type: 'epoch-start';
  epoch: number;
  epochs: number;
}
export interface StepEvent {
  type: 'step';
  epoch: number;
  /** Global optimiser step, 1-based after the update. */
  step: number;
  totalSteps: number;
  /** Step inside the epoch, 1-based. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  loss: number;
  cls: number;
  rec: number;
  lr: number;
  gradNorm: number;
  /** Training throughput of this step. */
  clipsPerSec: number;
  elapsedMs: number;
  /** Milliseconds the step waited for its data (set by data wrappers that measure it, e.g. the CLI's prefetching loader). */
  dataWaitMs?: number;
}
export interface SkipEvent {
  type: 'skip';
  epoch: number;
  step: number;
  reason: 'non-finite-loss' | 'non-finite-gradient';
  loss: number;
}
export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  epochs: number;
  loss: number;
  cls: number;
  rec: number;
  lr: number;
  skipped: number;
  durationMs: number;
  clipsPerSec: number;
}
export interface EvalEvent {
  type: 'eval';
  epoch: number;
  split: string;
  metrics: EvalMetrics;
  durationMs: number;
}
export interface CheckpointEvent {
  type: 'checkpoint';
  epoch: number;
  step: number;
  /** Where the sink stored it (a path, or a key for non-file sinks). */
  location: string;
  best: boolean;
}
export interface FoldEvent {
  type: 'fold';
  fold: number;
  folds: number;
  metrics: EvalMetrics;
}
export interface DoneEvent {
  type: 'done';
  epochs: number;
  steps: number;
  durationMs: number;
  /** The final evaluation, when one ran. */
  metrics?: EvalMetrics;
  /** Best evaluation seen and its epoch. */
  best?: { epoch: number; metrics: EvalMetrics };
  /** True when the run was stopped by an AbortSignal. */
  aborted: boolean;
}

/** Every event of a training run, discriminated by `type`. */
export type TrainEvent =
  | StartEvent
  | EpochStartEvent
  | StepEvent
  | SkipEvent
  | EpochEvent
  | EvalEvent
  | CheckpointEvent
  | FoldEvent
  | DoneEvent;

export type TrainEventType = TrainEvent['type'];
export type TrainEventListener = (event: TrainEvent) => void;
