// The backend-agnostic training loop: AdamW + cosine warmup + layer decay + clipping + accumulation + mixup,
// exact resume, typed progress events.
import * as tf from '@tensorflow/tfjs-core';
import type { EvalMetrics, TrainEvent, EpochEvent, EvalEvent } from '../events/types.js';
import { AdamW, type ParamGroup } from './adamw.js';
import { globalNormTensor } from './clip.js';
import { mixBatch, type MixOptions } from './mixup.js';
import { layerLrScale, usesWeightDecay } from './param-groups.js';
import { deriveSeed, seededPermutation, TrainRng } from './rng.js';
import { createRng } from '../random/index.js';
import { cosineWithWarmup } from './schedule.js';
import type { TrainState } from './state.js';
import type { TrainableModel, TrainData, TrainBatch } from './model.js';

export interface TrainOptions {
  epochs: number;
  /** Clips per micro-batch. */
  batchSize: number;
  /** Micro-batches summed into one optimiser step (effective batch = batchSize * accumSteps). */
  accumSteps?: number;
  /** Peak learning rate (after warmup), before layer-wise scaling. */
  lr: number;
  minLr?: number;
  /** Warmup length in epochs (fractional allowed); `warmupSteps` wins when given. */
  warmupEpochs?: number;
  warmupSteps?: number;
  weightDecay?: number;
  /** Layer-wise LR decay factor (1 = off). */
  layerDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Max global gradient norm; null/undefined/0 = no clipping. */
  clipGradNorm?: number | null;
  seed?: number;
  mix?: Partial<MixOptions> | null;
  /** What to do when the loss or gradient is NaN/Inf: skip the update, or throw. */
  onNonFinite?: 'skip' | 'stop';
  /** Also checkpoint every N optimiser steps (0 = only at epoch ends). */
  checkpointEverySteps?: number;
  /** Evaluate every N epochs (the last epoch always evaluates when `evaluate` is given). */
  evalEvery?: number;
  /** Metric that decides the best checkpoint. */
  bestMetric?: 'uar' | 'war';
}

export interface CheckpointInfo {
  epoch: number;
  step: number;
  /** True when this state has the best metric so far. */
  best: boolean;
  reason: 'epoch' | 'steps' | 'abort';
}

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

export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly epoch: number, readonly value: number, what: string) {
    super(
      `training diverged: ${what} is ${value} at step ${step} (epoch ${epoch + 1}). ` +
        `Lower the learning rate, enable gradient clipping (clipGradNorm), or set onNonFinite: 'skip'.`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** Optimiser steps per epoch for a dataset size. A partial last batch is dropped unless it is the only one. */
export function stepsPerEpoch(size: number, batchSize: number, accumSteps = 1): number {
  return Math.max(1, Math.floor(size / (batchSize * accumSteps)));
}

function validate(o: TrainOptions, data: TrainData): void {
  const bad = (k: string, v: unknown, want: string) => {
    throw new Error(`train: option '${k}' is ${JSON.stringify(v)}; ${want}`);
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) bad('epochs', o.epochs, 'use an integer >= 1');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) bad('batchSize', o.batchSize, 'use an integer >= 1');
  if (o.accumSteps !== undefined && (!Number.isInteger(o.accumSteps) || o.accumSteps < 1)) bad('accumSteps', o.accumSteps, 'use an integer >= 1');
  if (!(o.lr > 0)) bad('lr', o.lr, 'use a positive number such as 1e-3');
  if (data.size < 1) throw new Error('train: the training data is empty (size 0); check the dataset root and split');
}

export async function train(model: TrainableModel, data: TrainData, options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  validate(options, data);
  const emit = hooks.onEvent ?? (() => {});
  const seed = options.seed ?? 0;
  const accum = options.accumSteps ?? 1;
  const B = Math.min(options.batchSize, data.size);
  const spe = stepsPerEpoch(data.size, B, accum);
  const totalSteps = spe * options.epochs;
  const warmupSteps = options.warmupSteps ?? Math.round((options.warmupEpochs ?? 0) * spe);
  const schedule = cosineWithWarmup({ baseLr: options.lr, minLr: options.minLr ?? 0, warmupSteps, totalSteps });
  const layerDecay = options.layerDecay ?? 1;
  const mix: MixOptions | null = options.mix
    ? { mixupAlpha: options.mix.mixupAlpha ?? 0, cutmixAlpha: options.mix.cutmixAlpha ?? 0, prob: options.mix.prob ?? 1, switchProb: options.mix.switchProb ?? 0.5 }
    : null;
  const bestMetric = options.bestMetric ?? 'uar';
  const evalEvery = options.evalEvery ?? 1;

  const params = model.trainableVariables;
  const names = Object.keys(params);
  const byVarName = new Map<string, string>();
  for (const k of names) byVarName.set(params[k].name, k);
  const groups: Record<string, ParamGroup> = {};
  for (const k of names) {
    groups[k] = { lrScale: layerLrScale(k, model.numLayers, layerDecay), decay: usesWeightDecay(k, params[k].shape) };
  }
  const opt = new AdamW(params, groups, { beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon, weightDecay: options.weightDecay ?? 0.05 });

  let step = 0;
  let startEpoch = 0;
  let startInEpoch = 0;
  let best: TrainResult['best'];
  if (hooks.resume) {
    const r = hooks.resume;
    if (r.seed !== seed) throw new Error(`resume: the checkpoint was trained with seed ${r.seed} but this run uses ${seed}; pass the same seed`);
    for (const k of names) {
      const w = r.weights[k];
      if (!w) throw new Error(`resume: the checkpoint has no weights for '${k}'; it was saved from a different model`);
      if (w.data.length !== params[k].size) throw new Error(`resume: '${k}' has ${w.data.length} values in the checkpoint, the model expects ${params[k].size} (shape ${params[k].shape})`);
      tf.tidy(() => params[k].assign(tf.tensor(w.data, params[k].shape)));
    }
    opt.setState(r.optimizer);
    step = r.step;
    startEpoch = r.epoch;
    startInEpoch = r.stepInEpoch;
    best = r.best;
  }

  // Asynchronous reads only (WebGPU in Node cannot read synchronously).
  const snapshot = async (epoch: number, stepInEpoch: number): Promise<TrainState> => {
    const weights: TrainState['weights'] = {};
    for (const k of names) weights[k] = { shape: params[k].shape.slice(), data: (await params[k].data()) as Float32Array };
    return { version: 1, epoch, stepInEpoch, step, seed, weights, optimizer: await opt.readState(), best, meta: hooks.meta };
  };
  const save = async (epoch: number, stepInEpoch: number, info: CheckpointInfo) => {
    if (!hooks.saveCheckpoint) return;
    const location = await hooks.saveCheckpoint(await snapshot(epoch, stepInEpoch), info);
    emit({ type: 'checkpoint', epoch: info.epoch, step: info.step, location, best: info.best });
  };

  emit({
    type: 'start', epochs: options.epochs, stepsPerEpoch: spe, totalSteps, batchSize: B * accum, trainSize: data.size,
    ...(hooks.resume ? { resumedFrom: { epoch: startEpoch, step } } : {}),
  });
  const history: EpochEvent[] = [];
  const evals: EvalEvent[] = [];
  let last: EvalMetrics | undefined;
  const t0 = Date.now();

  const lossOf = (batch: TrainBatch, stepSeed: number): { total: tf.Scalar; cls: tf.Scalar; rec: tf.Scalar } => {
    const ctx = () => ({ rng: createRng(stepSeed), step });
    const mixed = mix ? mixBatch(batch.clips, batch.labels, mix, new TrainRng(deriveSeed(stepSeed, 7))) : null;
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
  };

  const varList = names.map((k) => params[k]);
  try {
    for (let epoch = startEpoch; epoch < options.epochs; epoch++) {
      emit({ type: 'epoch-start', epoch: epoch + 1, epochs: options.epochs });
      const perm = seededPermutation(data.size, deriveSeed(seed, 3, epoch));
      const epochStart = Date.now();
      let sumLoss = 0, sumCls = 0, sumRec = 0, counted = 0, skipped = 0, clips = 0;
      const first = epoch === startEpoch ? startInEpoch : 0;
      for (let s = first; s < spe; s++) {
        if (hooks.signal?.aborted) {
          await save(epoch, s, { epoch: epoch + 1, step, best: false, reason: 'abort' });
          emit({ type: 'done', epochs: options.epochs, steps: step, durationMs: Date.now() - t0, best, aborted: true });
          return { step, epoch, aborted: true, history, evals, best, last };
        }
        const stepStart = Date.now();
        const lr = schedule(step);
        let acc: Record<string, tf.Tensor> | null = null;
        // Loss, cls and rec summed over the micro-batches on the device (each / accum): no read until the
        // step's single asynchronous one below (WebGPU in Node has no synchronous read).
        let logs: tf.Tensor | null = null;
        for (let a = 0; a < accum; a++) {
          const offset = (s * accum + a) * B;
          const indices = perm.slice(offset, offset + B);
          const batch = await data.load(indices, { epoch, seed: deriveSeed(seed, 4, epoch, s, a) });
          const stepSeed = deriveSeed(seed, 1, step, a);
          let kept: tf.Scalar[] = [];
          const { value, grads } = tf.variableGrads(() => {
            const out = lossOf(batch, stepSeed);
            kept = [tf.keep(out.cls), tf.keep(out.rec)];
            return (accum > 1 ? tf.div(out.total, accum) : out.total) as tf.Scalar;
          }, varList);
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
          for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn) ?? vn] = g;
          if (!acc) acc = named;
          else {
            const prev: Record<string, tf.Tensor> = acc;
            const next: Record<string, tf.Tensor> = {};
            for (const k of Object.keys(named)) next[k] = prev[k] ? tf.add(prev[k], named[k]) : named[k];
            for (const k of Object.keys(prev)) if (!next[k]) next[k] = prev[k];
            tf.dispose(Object.keys(named).flatMap((k) => (prev[k] ? [prev[k], named[k]] : [])));
            acc = next;
          }
        }
        // The global norm and the clipping scale stay on the device; the one read per step fetches the
        // logged values and the norm together (the skip decision needs them before the update).
        const norm = globalNormTensor(acc ?? {});
        const stats = tf.tidy(() => tf.concat([logs!, tf.reshape(norm, [1])]));
        logs!.dispose();
        let read: Float32Array;
        try {
          read = (await stats.data()) as Float32Array;
        } finally {
          stats.dispose();
        }
        const [lossV, clsV, recV, gradNorm] = [read[0]!, read[1]!, read[2]!, read[3]!];
        let nonFinite = false;
        if (!Number.isFinite(lossV) || !Number.isFinite(gradNorm)) {
          nonFinite = true;
          tf.dispose(Object.values(acc ?? {}));
          acc = null;
          skipped++;
          const badLoss = !Number.isFinite(lossV);
          emit({ type: 'skip', epoch: epoch + 1, step: step + 1, reason: badLoss ? 'non-finite-loss' : 'non-finite-gradient', loss: lossV });
          if (options.onNonFinite === 'stop') {
            norm.dispose();
            throw new NonFiniteLossError(step + 1, epoch, badLoss ? lossV : gradNorm, badLoss ? 'the loss' : 'the gradient norm');
          }
        }
        if (!nonFinite && acc) {
          // The clip is part of the update (one fused kernel on WebGPU).
          opt.step(acc, lr, options.clipGradNorm ? { norm, maxNorm: options.clipGradNorm } : undefined);
          tf.dispose(Object.values(acc));
          sumLoss += lossV;
          sumCls += clsV;
          sumRec += recV;
          counted++;
        }
        norm.dispose();
        step++;
        const ms = Math.max(1, Date.now() - stepStart);
        if (!nonFinite) {
          emit({
            type: 'step', epoch: epoch + 1, step, totalSteps, stepInEpoch: s + 1, stepsPerEpoch: spe,
            loss: lossV, cls: clsV, rec: recV, lr, gradNorm, clipsPerSec: (B * accum * 1000) / ms, elapsedMs: Date.now() - t0,
          });
        }
        const every = options.checkpointEverySteps ?? 0;
        if (every > 0 && step % every === 0 && s + 1 < spe) {
          await save(epoch, s + 1, { epoch: epoch + 1, step, best: false, reason: 'steps' });
        }
      }
      const dur = Date.now() - epochStart;
      const ev: EpochEvent = {
        type: 'epoch', epoch: epoch + 1, epochs: options.epochs,
        loss: counted ? sumLoss / counted : NaN, cls: counted ? sumCls / counted : NaN, rec: counted ? sumRec / counted : NaN,
        lr: schedule(Math.max(0, step - 1)), skipped, durationMs: dur, clipsPerSec: (clips * 1000) / Math.max(1, dur),
      };
      history.push(ev);
      emit(ev);
      let isBest = false;
      const isLast = epoch + 1 === options.epochs;
      if (hooks.evaluate && (isLast || (evalEvery > 0 && (epoch + 1) % evalEvery === 0))) {
        const e0 = Date.now();
        const metrics = await hooks.evaluate({ epoch: epoch + 1 });
        last = metrics;
        const ee: EvalEvent = { type: 'eval', epoch: epoch + 1, split: 'test', metrics, durationMs: Date.now() - e0 };
        evals.push(ee);
        emit(ee);
        if (!best || metrics[bestMetric] > best.metrics[bestMetric]) {
          best = { epoch: epoch + 1, metrics };
          isBest = true;
        }
      }
      await save(epoch + 1, 0, { epoch: epoch + 1, step, best: isBest, reason: 'epoch' });
    }
  } finally {
    opt.dispose();
  }
  emit({ type: 'done', epochs: options.epochs, steps: step, durationMs: Date.now() - t0, metrics: last, best, aborted: false });
  return { step, epoch: options.epochs, aborted: false, history, evals, best, last };
}
