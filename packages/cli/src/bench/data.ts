// Clips for `adatosk bench`, made once up front on the device: the bench measures the model, not a clip
// generator (filling 8 x 16x160x160x3 normal values in JavaScript cost more than half of a WebGPU step).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainData } from '@adatosk/core';

export interface BenchClips {
  /** One batch of clips [B, T, S, S, 3] (kept; `dispose()` frees it). */
  clips: tf.Tensor5D;
  /** Training data that serves that batch for every step (each `load` returns clones; no new values). */
  data(size: number): TrainData;
  dispose(): void;
}

/** Seeded normal clips made on the device, and labels cycling through the classes. */
export function benchClips(batchSize: number, frames: number, size: number, numClasses: number): BenchClips {
  const clips = tf.tidy(() => tf.keep(tf.randomNormal([batchSize, frames, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor5D));
  return {
    clips,
    data: (n) => ({
      size: n,
      async load(indices) {
        if (indices.length !== batchSize) throw new Error(`bench data: asked for ${indices.length} clips, the pool holds ${batchSize}`);
        // A clone shares the pool's data: the trainer disposes the batch, the pool stays.
        return {
          clips: tf.clone(clips),
          labels: tf.tensor1d(
            indices.map((i) => i % numClasses),
            'int32',
          ),
        };
      },
    }),
    dispose: () => clips.dispose(),
  };
}
