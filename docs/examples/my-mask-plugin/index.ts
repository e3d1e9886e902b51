// A soft mask written outside the AdaTosk packages: `pixel-motion` scores each visible token by how
// much its pixels changed since the same patch in the nearest earlier visible slot (a cheap,
// feature-free motion cue), min-max normalised per clip and sharpened by `power`.
//
// Use it:
//   import './my-mask-plugin/index.js';            // registers 'pixel-motion'
//   createAdaTosk('tiny', { softMask: { name: 'pixel-motion', options: { power: 2 } } });
// or, in a CLI config file: softMask: { name: pixel-motion, options: { power: 2 } }
import * as tf from '@tensorflow/tfjs-core';
import { registerMask, temporalNeighbours, type SoftMaskContext, type SoftMaskStrategy } from '@adatosk/core';

/** Options of the `pixel-motion` mask. */
export interface PixelMotionOptions {
  /** Exponent applied to the normalised motion (default 1); larger keeps fewer, stronger movers. */
  power?: number;
}

// Declaration merging: `createMask('pixel-motion', { power: 2 })` is now type checked.
declare module '@adatosk/core' {
  interface MaskRegistry {
    'pixel-motion': PixelMotionOptions;
  }
}

function pixelMotion(context: SoftMaskContext, power: number): tf.Tensor2D {
  const pixels = context.pixels!; // [B, V, P], provided because usesPixels is set
  const [b, v, p] = pixels.shape;
  const { predecessor, successor } = temporalNeighbours(context.tokenIndices, b, context.grid);
  // Compare with the predecessor, else the successor, else with itself (no motion).
  const reference = Int32Array.from(predecessor, (pred, i) => (pred >= 0 ? pred : successor[i] >= 0 ? successor[i] : i));
  return tf.tidy(() => {
    const rows = tf.reshape(pixels, [b * v, p]);
    const change = tf.mean(tf.abs(tf.sub(rows, tf.gather(rows, tf.tensor1d(reference, 'int32')))), -1);
    const motion = tf.reshape(change, [b, v]);
    const low = tf.min(motion, 1, true);
    const range = tf.sub(tf.max(motion, 1, true), low);
    // A clip without motion scores 1 everywhere (the same rule as the built-in masks).
    const flat = tf.sub(1, tf.step(range));
    const normalised = tf.add(tf.mul(tf.div(tf.sub(motion, low), tf.add(range, flat)), tf.sub(1, flat)), flat);
    return tf.pow(normalised, power) as tf.Tensor2D;
  });
}

/** The strategy factory (usable without the registry too). */
export function pixelMotionMask(options: PixelMotionOptions = {}): SoftMaskStrategy {
  const power = options.power ?? 1;
  return { kind: 'soft', name: 'pixel-motion', usesPixels: true, compute: (context) => pixelMotion(context, power) };
}

registerMask<PixelMotionOptions, Required<PixelMotionOptions>>({
  name: 'pixel-motion',
  kind: 'soft',
  description: 'Example plugin: normalised pixel change to the previous visible slot.',
  parseOptions: (raw) => {
    const power = raw?.power ?? 1;
    if (typeof power !== 'number' || !(power > 0)) throw new Error(`power must be a positive number, got ${String(power)}`);
    return { power };
  },
  create: (options) => pixelMotionMask(options),
});
