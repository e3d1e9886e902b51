import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient checkpointing (rematerialisation) for a pure function of `x` and `params`.
 *
 * Why: tfjs-core's backward pass keeps every saved activation AND the gradient of every intermediate
 * tensor alive until the whole backward pass ends (they are only released by its outer tidy), and on
 * wasm each saved tensor is a copy. For ViT-S at 800 tokens that is several GiB, past wasm's 4 GiB heap.
 * Wrapped here, the outer tape records one node whose only saved tensor is `x`; its gradient re-runs
 * `fn` under a fresh tape and back-propagates through it inside a tidy, so at most one wrapped
 * function's activations are alive at a time. Costs one extra forward of `fn` per backward.
 *
 * `fn` must be deterministic (no randomness, no host reads) and must not dispose its inputs. When no
 * gradient tape is recording (inference) `fn` simply runs.
 */
export function recompute(fn: (x: tf.Tensor, params: tf.Tensor[]) => tf.Tensor, x: tf.Tensor, params: tf.Tensor[]): tf.Tensor {
  const engine = tf.engine();
  if (engine.state.gradientDepth === 0) return fn(x, params);
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs = args.slice(0, -1) as tf.Tensor[];
    // Variables stay alive by themselves (saving one would copy it on wasm); other tensors are saved.
    const held = inputs.slice(1).map((t) => !(t instanceof tf.Variable));
    save([inputs[0]!, ...inputs.slice(1).filter((_, i) => held[i])]);
    return {
      value: fn(inputs[0]!, inputs.slice(1)),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = Array.isArray(dy) ? dy[0]! : dy;
        let next = 1;
        const again = inputs.slice(1).map((t, i) => (held[i] ? saved[next++]! : t));
        // A nested tf.grads started while the outer tape's backward runs would replace and then clear
        // the engine's active tape (the outer pass still needs it to release its saved tensors).
        const outerTape = engine.state.activeTape;
        try {
          return tf.tidy(() => tf.grads((xi: tf.Tensor, ...ps: tf.Tensor[]) => fn(xi, ps))([saved[0]!, ...again], g));
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, ...params);
}
