// The checkpoint policy of a run: what a state holds, when one is written (every N steps, each epoch end, on
// abort), and how a run continues from one exactly.
import * as tf from '@tensorflow/tfjs-core';
import type { EvalMetrics, TrainEvent } from '../events/types.js';
import type { AdamW } from './adamw.js';
import type { TrainState } from './state.js';

/** Why and where a state is saved; handed to the `saveCheckpoint` hook. */
export interface CheckpointInfo {
  epoch: number;
  step: number;
  /** True when this state has the best metric so far. */
  best: boolean;
  reason: 'epoch' | 'steps' | 'abort';
}

/** Where a run stands: what a state records and what resuming restores. */
export interface RunPosition {
  /** Epoch (0-based) of the next optimiser step. */
  epoch: number;
  /** Optimiser steps already done inside `epoch`. */
  stepInEpoch: number;
  /** Global optimiser steps done. */
  step: number;
  best?: { epoch: number; metrics: EvalMetrics };
}

/**
 * Loads a state's weights and optimiser moments into the model and optimiser, and returns its position.
 * Throws a message naming the mismatch (seed, missing or mis-sized parameter).
 */
export function restoreState(state: TrainState, seed: number, params: Record<string, tf.Variable>, optimizer: AdamW): RunPosition {
  if (state.seed !== seed)
    throw new Error(`resume: the checkpoint was trained with seed ${state.seed} but this run uses ${seed}; pass the same seed`);
  for (const k of Object.keys(params)) {
    const w = state.weights[k];
    if (!w) throw new Error(`resume: the checkpoint has no weights for '${k}'; it was saved from a different model`);
    if (w.data.length !== params[k].size)
      throw new Error(
        `resume: '${k}' has ${w.data.length} values in the checkpoint, the model expects ${params[k].size} (shape ${params[k].shape})`,
      );
    tf.tidy(() => params[k].assign(tf.tensor(w.data, params[k].shape)));
  }
  optimizer.setState(state.optimizer);
  return { epoch: state.epoch, stepInEpoch: state.stepInEpoch, step: state.step, best: state.best };
}

/** Reads the model and optimiser into a state, asynchronously only (WebGPU in Node cannot read synchronously). */
export async function snapshotState(
  at: RunPosition,
  seed: number,
  params: Record<string, tf.Variable>,
  optimizer: AdamW,
  meta?: Record<string, unknown>,
): Promise<TrainState> {
  const weights: TrainState['weights'] = {};
  for (const k of Object.keys(params)) weights[k] = { shape: params[k].shape.slice(), data: (await params[k].data()) as Float32Array };
  return {
    version: 1,
    epoch: at.epoch,
    stepInEpoch: at.stepInEpoch,
    step: at.step,
    seed,
    weights,
    optimizer: await optimizer.readState(),
    best: at.best,
    meta,
  };
}

/** When states are written: every `everySteps` optimiser steps inside an epoch, at each epoch end, and on abort. */
export class CheckpointPolicy {
  constructor(
    private readonly save: ((state: TrainState, info: CheckpointInfo) => Promise<string>) | undefined,
    private readonly snapshot: (at: RunPosition) => Promise<TrainState>,
    private readonly emit: (event: TrainEvent) => void,
    private readonly everySteps: number,
  ) {}

  /** After an optimiser step that leaves the run at `at` (not at an epoch end). */
  async afterStep(at: RunPosition, stepsPerEpoch: number): Promise<void> {
    if (this.everySteps > 0 && at.step % this.everySteps === 0 && at.stepInEpoch < stepsPerEpoch) {
      await this.write(at, { epoch: at.epoch + 1, step: at.step, best: false, reason: 'steps' });
    }
  }

  /** At the end of epoch `epoch` (0-based); `best` when its evaluation is the best so far. */
  async atEpochEnd(epoch: number, at: RunPosition, best: boolean): Promise<void> {
    await this.write(at, { epoch: epoch + 1, step: at.step, best, reason: 'epoch' });
  }

  /** When the run is aborted before the step at `at`. */
  async onAbort(at: RunPosition): Promise<void> {
    await this.write(at, { epoch: at.epoch + 1, step: at.step, best: false, reason: 'abort' });
  }

  private async write(at: RunPosition, info: CheckpointInfo): Promise<void> {
    if (!this.save) return;
    const location = await this.save(await this.snapshot(at), info);
    this.emit({ type: 'checkpoint', epoch: info.epoch, step: info.step, location, best: info.best });
  }
}
