// The backend-agnostic training loop: AdamW + cosine warmup + layer decay + clipping + accumulation + mixup,
// exact resume, typed progress events. `train` wires named parts together: the options and their defaults
// (options.ts), the run plan and schedule (schedule.ts), the named seed streams (seeds.ts), one optimiser
// step (step.ts), the checkpoint policy (checkpointing.ts) and the evaluation policy (evaluation.ts).
import type { EvalMetrics, TrainEvent, EpochEvent, EvalEvent } from '../events/types.js';
import { AdamW, type ParamGroup } from './adamw.js';
import { CheckpointPolicy, restoreState, snapshotState, type CheckpointInfo, type RunPosition } from './checkpointing.js';
import { EvaluationPolicy } from './evaluation.js';
import type { TrainableModel, TrainData } from './model.js';
import { resolveTrainOptions, type TrainOptions } from './options.js';
import { layerLrScale, usesWeightDecay } from './param-groups.js';
import { planRun } from './schedule.js';
import { epochOrder, trainStreams } from './seeds.js';
import type { TrainState } from './state.js';
import { NonFiniteLossError, OptimizerStep } from './step.js';

export interface TrainHooks {
  onEvent?: (event: TrainEvent) => void;
  /** Evaluates the current model; called at epoch ends. */
  evaluate?: (ctx: { epoch: number }) => Promise<EvalMetrics>;
  /** Persists a state; returns where it went (for the event). */
  saveCheckpoint?: (state: TrainState, info: CheckpointInfo) => Promise<string>;
  /** Continue from this state exactly. */
  resume?: TrainState;
  /** Aborting stops at the next step boundary, checkpoints, and resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Free-form JSON stored in every checkpoint. */
  meta?: Record<string, unknown>;
}

export interface TrainResult {
  step: number;
  epoch: number;
  aborted: boolean;
  history: EpochEvent[];
  evals: EvalEvent[];
  best?: { epoch: number; metrics: EvalMetrics };
  last?: EvalMetrics;
}

/** The optimiser with MAE's parameter groups: layer-wise LR scales, no decay on biases, norms and tables. */
function createOptimizer(
  model: TrainableModel,
  o: { layerDecay: number; weightDecay: number; beta1?: number; beta2?: number; epsilon?: number },
): AdamW {
  const params = model.trainableVariables;
  const groups: Record<string, ParamGroup> = {};
  for (const k of Object.keys(params)) {
    groups[k] = { lrScale: layerLrScale(k, model.numLayers, o.layerDecay), decay: usesWeightDecay(k, params[k].shape) };
  }
  return new AdamW(params, groups, { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: o.weightDecay });
}

/** Mean loss parts, skips and throughput of one epoch. */
class EpochTally {
  private sumLoss = 0;
  private sumCls = 0;
  private sumRec = 0;
  private counted = 0;
  skipped = 0;
  clips = 0;
  readonly started = Date.now();

  add(o: { loss: number; cls: number; rec: number; clips: number; skipped?: string }): void {
    this.clips += o.clips;
    if (o.skipped) {
      this.skipped++;
      return;
    }
    this.sumLoss += o.loss;
    this.sumCls += o.cls;
    this.sumRec += o.rec;
    this.counted++;
  }

  event(epoch: number, epochs: number, lr: number): EpochEvent {
    const dur = Date.now() - this.started;
    const mean = (sum: number) => (this.counted ? sum / this.counted : NaN);
    return {
      type: 'epoch',
      epoch: epoch + 1,
      epochs,
      loss: mean(this.sumLoss),
      cls: mean(this.sumCls),
      rec: mean(this.sumRec),
      lr,
      skipped: this.skipped,
      durationMs: dur,
      clipsPerSec: (this.clips * 1000) / Math.max(1, dur),
    };
  }
}

export async function train(model: TrainableModel, data: TrainData, options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  const o = resolveTrainOptions(options, data);
  const emit = hooks.onEvent ?? (() => {});
  const plan = planRun(data.size, o);
  const streams = trainStreams(o.seed);
  const params = model.trainableVariables;
  const optimizer = createOptimizer(model, o);

  let at: RunPosition = { epoch: 0, stepInEpoch: 0, step: 0 };
  if (hooks.resume) {
    try {
      at = restoreState(hooks.resume, o.seed, params, optimizer);
    } catch (e) {
      optimizer.dispose();
      throw e;
    }
  }
  const evaluation = new EvaluationPolicy(hooks.evaluate, o.evalEvery, o.epochs, o.bestMetric, at.best);
  const checkpoints = new CheckpointPolicy(
    hooks.saveCheckpoint,
    (pos) => snapshotState(pos, o.seed, params, optimizer, hooks.meta),
    emit,
    o.checkpointEverySteps,
  );
  const stepper = new OptimizerStep(model, optimizer, streams, {
    microBatch: plan.microBatch,
    accumSteps: plan.accumSteps,
    stepsPerEpoch: plan.stepsPerEpoch,
    clipGradNorm: o.clipGradNorm,
    mix: o.mix,
  });

  emit({
    type: 'start',
    epochs: o.epochs,
    stepsPerEpoch: plan.stepsPerEpoch,
    totalSteps: plan.totalSteps,
    batchSize: plan.microBatch * plan.accumSteps,
    trainSize: data.size,
    ...(hooks.resume ? { resumedFrom: { epoch: at.epoch, step: at.step } } : {}),
  });
  const history: EpochEvent[] = [];
  const t0 = Date.now();
  const result = (aborted: boolean, epoch: number): TrainResult => ({
    step: at.step,
    epoch,
    aborted,
    history,
    evals: evaluation.evals,
    best: evaluation.best,
    last: evaluation.last,
  });

  try {
    for (let epoch = at.epoch; epoch < o.epochs; epoch++) {
      emit({ type: 'epoch-start', epoch: epoch + 1, epochs: o.epochs });
      const order = epochOrder(streams, epoch, data.size);
      const tally = new EpochTally();
      // `at` is the start of this epoch here: the resumed position in the first one, step 0 in the others.
      for (let s = at.stepInEpoch; s < plan.stepsPerEpoch; s++) {
        if (hooks.signal?.aborted) {
          await checkpoints.onAbort({ epoch, stepInEpoch: s, step: at.step, best: evaluation.best });
          emit({ type: 'done', epochs: o.epochs, steps: at.step, durationMs: Date.now() - t0, best: evaluation.best, aborted: true });
          return result(true, epoch);
        }
        const stepStart = Date.now();
        const lr = plan.lr(at.step);
        const out = await stepper.run(data, order, { epoch, stepInEpoch: s, step: at.step }, lr);
        tally.add(out);
        if (out.skipped) {
          emit({ type: 'skip', epoch: epoch + 1, step: at.step + 1, reason: out.skipped, loss: out.loss });
          if (o.onNonFinite === 'stop') {
            const badLoss = out.skipped === 'non-finite-loss';
            throw new NonFiniteLossError(at.step + 1, epoch, badLoss ? out.loss : out.gradNorm, badLoss ? 'the loss' : 'the gradient norm');
          }
        }
        at = { epoch, stepInEpoch: s + 1, step: at.step + 1 };
        if (!out.skipped) {
          const ms = Math.max(1, Date.now() - stepStart);
          emit({
            type: 'step',
            epoch: epoch + 1,
            step: at.step,
            totalSteps: plan.totalSteps,
            stepInEpoch: s + 1,
            stepsPerEpoch: plan.stepsPerEpoch,
            loss: out.loss,
            cls: out.cls,
            rec: out.rec,
            lr,
            gradNorm: out.gradNorm,
            clipsPerSec: (plan.microBatch * plan.accumSteps * 1000) / ms,
            elapsedMs: Date.now() - t0,
          });
        }
        await checkpoints.afterStep({ ...at, best: evaluation.best }, plan.stepsPerEpoch);
      }
      const ev = tally.event(epoch, o.epochs, plan.lr(Math.max(0, at.step - 1)));
      history.push(ev);
      emit(ev);
      const isBest = await evaluation.afterEpoch(epoch + 1, emit);
      at = { epoch: epoch + 1, stepInEpoch: 0, step: at.step };
      await checkpoints.atEpochEnd(epoch, { ...at, best: evaluation.best }, isBest);
    }
  } finally {
    optimizer.dispose();
  }
  emit({
    type: 'done',
    epochs: o.epochs,
    steps: at.step,
    durationMs: Date.now() - t0,
    metrics: evaluation.last,
    best: evaluation.best,
    aborted: false,
  });
  return result(false, o.epochs);
}
