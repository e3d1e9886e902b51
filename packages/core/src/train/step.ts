// One optimiser step: load the micro-batches, sum their gradients on the device, read the logged values and
// the gradient norm once (asynchronously: WebGPU in Node cannot read synchronously), then clip and update,
// or skip the update when the loss or the gradient is not finite.
import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw.js';
import { globalNormTensor } from './clip.js';
import { mixBatch, type MixOptions } from './mixup.js';
import type { LossContext, TrainableModel, TrainBatch, TrainData } from './model.js';
import type { TrainStreams } from './seeds.js';

/** Thrown by `train` with `onNonFinite: 'stop'`: names the step and the fixes. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly value: number,
    what: string,
  ) {
    super(
      `training diverged: ${what} is ${value} at step ${step} (epoch ${epoch + 1}). ` +
        `Lower the learning rate, enable gradient clipping (clipGradNorm), or set onNonFinite: 'skip'.`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** Where a step sits in the run (0-based). */
export interface StepPosition {
  epoch: number;
  /** Optimiser steps already done in this epoch. */
  stepInEpoch: number;
  /** Optimiser steps already done in the run. */
  step: number;
}

/** What a step did, with the values read back from the device. */
export interface StepOutcome {
  loss: number;
  cls: number;
  rec: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Clips the step trained on. */
  clips: number;
  /** Set when the update was skipped because the loss or the gradient norm was not finite. */
  skipped?: 'non-finite-loss' | 'non-finite-gradient';
}

export interface StepSettings {
  microBatch: number;
  accumSteps: number;
  /** Optimiser steps per epoch (no micro-batch past the last one is prefetched). */
  stepsPerEpoch: number;
  clipGradNorm: number | null;
  mix: MixOptions | null;
}

type Losses = { total: tf.Scalar; cls: tf.Scalar; rec: tf.Scalar };

/** The loss of one micro-batch, mixed (mixup/CutMix) when the mix stream says so. */
function microBatchLoss(
  model: TrainableModel,
  batch: TrainBatch,
  ctx: () => LossContext,
  mix: MixOptions | null,
  mixRng: () => ReturnType<TrainStreams['mix']>,
): Losses {
  const mixed = mix ? mixBatch(batch.clips, batch.labels, mix, mixRng()) : null;
  if (!mixed) {
    const out = model.computeLoss(batch, ctx());
    return { total: out.loss, cls: out.logs.cls, rec: out.logs.rec };
  }
  // Same rng seed for both halves so the hard masks (and everything random in the model) match.
  const a = model.computeLoss({ clips: mixed.clips, labels: mixed.labelsA }, ctx());
  const b = model.computeLoss({ clips: mixed.clips, labels: mixed.labelsB }, ctx());
  const lam = mixed.lam;
  return {
    total: tf.add(tf.mul(a.loss, lam), tf.mul(b.loss, 1 - lam)) as tf.Scalar,
    cls: tf.add(tf.mul(a.logs.cls, lam), tf.mul(b.logs.cls, 1 - lam)) as tf.Scalar,
    rec: tf.add(tf.mul(a.logs.rec, lam), tf.mul(b.logs.rec, 1 - lam)) as tf.Scalar,
  };
}

/** Adds `named` into the running sum `acc` (both by parameter name), disposing what it replaces. */
function accumulate(acc: Record<string, tf.Tensor> | null, named: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  if (!acc) return named;
  const next: Record<string, tf.Tensor> = {};
  for (const k of Object.keys(named)) next[k] = acc[k] ? tf.add(acc[k], named[k]) : named[k];
  for (const k of Object.keys(acc)) if (!next[k]) next[k] = acc[k];
  tf.dispose(Object.keys(named).flatMap((k) => (acc[k] ? [acc[k], named[k]] : [])));
  return next;
}

/** Runs optimiser steps of one model with one optimiser. */
export class OptimizerStep {
  private readonly names: string[];
  private readonly varList: tf.Variable[];
  private readonly byVarName = new Map<string, string>();

  constructor(
    private readonly model: TrainableModel,
    private readonly optimizer: AdamW,
    private readonly streams: TrainStreams,
    private readonly settings: StepSettings,
  ) {
    const params = model.trainableVariables;
    this.names = Object.keys(params);
    for (const k of this.names) this.byVarName.set(params[k].name, k);
    this.varList = this.names.map((k) => params[k]);
  }

  /** Prefetch hint: the micro-batch after (`at`, `a`) in this epoch starts loading while this one trains. */
  private prefetchNext(data: TrainData, order: readonly number[], at: StepPosition, a: number): void {
    if (!data.prefetch) return;
    const { microBatch: B, accumSteps: accum, stepsPerEpoch } = this.settings;
    const [s, na] = a + 1 < accum ? [at.stepInEpoch, a + 1] : [at.stepInEpoch + 1, 0];
    if (s >= stepsPerEpoch) return;
    const offset = (s * accum + na) * B;
    data.prefetch(order.slice(offset, offset + B), { epoch: at.epoch, seed: this.streams.data(at.epoch, s, na) });
  }

  /** One step at `at`, training on the clips `order` puts at this position, with learning rate `lr`. */
  async run(data: TrainData, order: readonly number[], at: StepPosition, lr: number): Promise<StepOutcome> {
    const { microBatch: B, accumSteps: accum, mix } = this.settings;
    let acc: Record<string, tf.Tensor> | null = null;
    // Loss, cls and rec summed over the micro-batches on the device (each / accum): no read until the
    // step's single asynchronous one below.
    let logs: tf.Tensor | null = null;
    let clips = 0;
    for (let a = 0; a < accum; a++) {
      const offset = (at.stepInEpoch * accum + a) * B;
      const indices = order.slice(offset, offset + B);
      const loading = data.load(indices, { epoch: at.epoch, seed: this.streams.data(at.epoch, at.stepInEpoch, a) });
      this.prefetchNext(data, order, at, a);
      const batch = await loading;
      const ctx = (): LossContext => ({ rng: this.streams.model(at.step, a), step: at.step });
      const mixRng = () => this.streams.mix(at.step, a);
      let kept: tf.Scalar[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const out = microBatchLoss(this.model, batch, ctx, mix, mixRng);
        kept = [tf.keep(out.cls), tf.keep(out.rec)];
        return (accum > 1 ? tf.div(out.total, accum) : out.total) as tf.Scalar;
      }, this.varList);
      tf.dispose([batch.clips, batch.labels]);
      const prevLogs: tf.Tensor | null = logs;
      logs = tf.tidy(() => {
        const row = tf.stack(accum > 1 ? [value, tf.div(kept[0]!, accum), tf.div(kept[1]!, accum)] : [value, kept[0]!, kept[1]!]);
        return prevLogs ? tf.add(prevLogs, row) : row;
      });
      tf.dispose([value, ...kept]);
      if (prevLogs) prevLogs.dispose();
      clips += indices.length;
      const named: Record<string, tf.Tensor> = {};
      for (const [vn, g] of Object.entries(grads)) named[this.byVarName.get(vn) ?? vn] = g;
      acc = accumulate(acc, named);
    }
    return this.apply(acc, logs!, lr, clips);
  }

  /** Reads the logged values and the norm together (the skip decision needs them before the update), then updates. */
  private async apply(acc: Record<string, tf.Tensor> | null, logs: tf.Tensor, lr: number, clips: number): Promise<StepOutcome> {
    // The global norm and the clipping scale stay on the device.
    const norm = globalNormTensor(acc ?? {});
    const stats = tf.tidy(() => tf.concat([logs, tf.reshape(norm, [1])]));
    logs.dispose();
    let read: Float32Array;
    try {
      read = (await stats.data()) as Float32Array;
    } finally {
      stats.dispose();
    }
    const [loss, cls, rec, gradNorm] = [read[0]!, read[1]!, read[2]!, read[3]!];
    try {
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm) || !acc) {
        tf.dispose(Object.values(acc ?? {}));
        return { loss, cls, rec, gradNorm, clips, skipped: Number.isFinite(loss) ? 'non-finite-gradient' : 'non-finite-loss' };
      }
      // The clip is part of the update (one fused kernel on WebGPU).
      const maxNorm = this.settings.clipGradNorm;
      this.optimizer.step(acc, lr, maxNorm ? { norm, maxNorm } : undefined);
      tf.dispose(Object.values(acc));
      return { loss, cls, rec, gradNorm, clips };
    } finally {
      norm.dispose();
    }
  }
}
