// The transformer MLP with its residual add, h + fc2(GELU(fc1(x))), as one differentiable op where the fused
// bias + GELU kernels exist. TF.js's tape keeps every intermediate tensor and every intermediate gradient
// until the backward pass ends; as one op, the step keeps only the MLP's input and fc1's pre-activation (GELU
// is recomputed from it in the backward pass, one elementwise kernel) and no intermediate gradient, and runs
// about half the kernels. Elsewhere the composite: exactly the ops the block ran before.
import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../linear.js';
import { matMulBias } from '../matmul.js';
import { biasGelu, BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL } from './biasGelu.js';
import { pairAvailable, runGradKernel } from './grad.js';

/**
 * `h + fc2(GELU(fc1(x)))` with weights stored [in, out]: fc1 [D, I] + [I], fc2 [I, D] + [D]; `h` and `x` are
 * [..., D] of the same shape (pre-norm blocks: `h` the residual stream, `x` its LayerNorm).
 */
export function residualMlp(h: tf.Tensor, x: tf.Tensor, fc1: [tf.Tensor, tf.Tensor], fc2: [tf.Tensor, tf.Tensor]): tf.Tensor {
  if (h.shape.join() !== x.shape.join()) throw new Error(`residualMlp: h [${h.shape}] and x [${x.shape}] differ`);
  if (!pairAvailable(BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL))
    return tf.tidy(() => tf.add(h, linear(biasGelu(linear(x, fc1[0]), fc1[1]), fc2[0], fc2[1])));
  return leanMlp(h, x, fc1[0], fc1[1], fc2[0], fc2[1]);
}

function leanMlp(h: tf.Tensor, x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor): tf.Tensor {
  const d = x.shape[x.rank - 1]!;
  if (w1.shape[0] !== d || w2.shape[1] !== d) throw new Error(`residualMlp: fc1 [${w1.shape}] / fc2 [${w2.shape}] do not fit width ${d}`);
  const rows = x.size / d;
  const forward = (hi: tf.Tensor, xi: tf.Tensor, w1i: tf.Tensor, b1i: tf.Tensor, w2i: tf.Tensor, b2i: tf.Tensor) => {
    const flat = tf.reshape(xi, [rows, d]);
    const pre = tf.matMul(flat, w1i);
    const value = tf.add(hi, tf.reshape(matMulBias(biasGelu(pre, b1i), w2i, b2i), hi.shape));
    return { flat, pre, value };
  };
  // No tape recording (inference, or inside another op's forward): the forward alone, without the custom-gradient scope.
  const state = tf.engine().state;
  if (state.gradientDepth === 0 || state.kernelDepth > 0) return tf.tidy(() => forward(h, x, w1, b1, w2, b2).value);
  const op = tf.customGrad(((
    hi: tf.Tensor,
    xi: tf.Tensor,
    w1i: tf.Tensor,
    b1i: tf.Tensor,
    w2i: tf.Tensor,
    b2i: tf.Tensor,
    save: tf.GradSaveFunc,
  ) => {
    const { flat, pre, value } = forward(hi, xi, w1i, b1i, w2i, b2i);
    save([flat, pre]);
    return {
      value,
      // Weights come from the inputs (alive through the backward pass); activations from the saved tensors.
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const g = Array.isArray(dy) ? dy[0]! : dy;
          const [sFlat, sPre] = saved as [tf.Tensor2D, tf.Tensor2D];
          const dOut = tf.reshape(g, [rows, d]) as tf.Tensor2D;
          const act = biasGelu(sPre, b1i) as tf.Tensor2D;
          const dW2 = tf.matMul(act, dOut, true, false);
          const db2 = tf.reshape(tf.sum(dOut, 0), b2i.shape);
          const dAct = tf.matMul(dOut, w2i as tf.Tensor2D, false, true);
          const [dPre, db1] = runGradKernel(BIAS_GELU_GRAD_KERNEL, { dy: dAct, x: sPre, bias: b1i }, {});
          const dW1 = tf.matMul(sFlat, dPre as tf.Tensor2D, true, false);
          const dx = tf.reshape(tf.matMul(dPre as tf.Tensor2D, w1i as tf.Tensor2D, false, true), xi.shape);
          return [tf.clone(g), dx, dW1, db1!, dW2, db2];
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(h, x, w1, b1, w2, b2);
}
