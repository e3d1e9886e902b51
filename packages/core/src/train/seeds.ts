// The named random streams of a training run. Each is a pure function of (seed, position in the run),
// never a carried generator, so the step counter and the position in the epoch are the whole random
// state: resuming reproduces the uninterrupted run bit for bit.
import { mixSeed, seedStream, type Rng } from '../random/index.js';

export interface TrainStreams {
  /** The data order of an epoch (a permutation of the training set). */
  shuffle(epoch: number): Rng;
  /** The numeric seed `TrainData.load` gets for one micro-batch. */
  data(epoch: number, stepInEpoch: number, microBatch: number): number;
  /** The model's generator for one micro-batch (hard masks, drop path). */
  model(step: number, microBatch: number): Rng;
  /** Mixup/CutMix draws for one micro-batch. */
  mix(step: number, microBatch: number): Rng;
}

/** The streams of a run seeded with `seed`. */
export function trainStreams(seed: number): TrainStreams {
  return {
    shuffle: (epoch) => seedStream(seed, 'shuffle', epoch),
    data: (epoch, stepInEpoch, microBatch) => mixSeed(seed, 'data', epoch, stepInEpoch, microBatch),
    model: (step, microBatch) => seedStream(seed, 'model', step, microBatch),
    mix: (step, microBatch) => seedStream(seed, 'mix', step, microBatch),
  };
}

/** The data order of one epoch: a seeded Fisher-Yates permutation of 0..size-1. */
export function epochOrder(streams: TrainStreams, epoch: number, size: number): number[] {
  return streams.shuffle(epoch).shuffle(Array.from({ length: size }, (_, i) => i));
}
