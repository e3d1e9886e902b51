// The whole pre-norm transformer block as one differentiable op, where every fused kernel it needs exists
// (@adatosk/webgpu). TF.js's tape records each op of a block separately: every tensor an op saves is copied
// (an Identity entry), every reshape and every split of the packed QKV weights runs again backwards, and each
// costs TF.js its per-kernel CPU time. As one op the block saves seven activations and its backward is the
// explicit chain of products and fused backward kernels below: about half the kernels of the op-by-op tape,
// the same values to float32 rounding. Elsewhere `leanBlockAvailable()` is false and the block runs op by op.
import * as tf from '@tensorflow/tfjs-core';
import { ATTENTION_GRAD_KERNEL, ATTENTION_KERNEL, defaultAttentionScale } from '../ops/fused/attention.js';
import { BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL, biasGelu } from '../ops/fused/biasGelu.js';
import { fusedOpEnabled } from '../ops/fused/dispatch.js';
import { pairAvailable, runGradKernel } from '../ops/fused/grad.js';
import { ADD_LAYER_NORM_KERNEL, addLayerNorm, LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, layerNorm } from '../ops/fused/layerNorm.js';
import { matMulBias, usesTransposedMatMul } from '../ops/matmul.js';
import { packedBias, packedWeights } from './attention.js';
import { type BlockParams, flatten, rebuild } from './blockParams.js';

/** Name under which `setFusedOps(false, [LEAN_BLOCK])` turns the whole-block op off (its kernels stay on). */
export const LEAN_BLOCK = 'AdaToskLeanBlock';

/** Whether the lean block is on and the active backend runs every kernel it needs (forward and backward). */
export function leanBlockAvailable(): boolean {
  return (
    fusedOpEnabled(LEAN_BLOCK) &&
    usesTransposedMatMul() &&
    pairAvailable(LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL) &&
    pairAvailable(ADD_LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL) &&
    pairAvailable(ATTENTION_KERNEL, ATTENTION_GRAD_KERNEL) &&
    pairAvailable(BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL)
  );
}

const biasPresent = (t: BlockParams) => [t.attention.queryBias, t.attention.keyBias, t.attention.valueBias].map((b) => b !== undefined);

/** The attention kernels' attributes for flat rows of `tokens`-token clips. */
function attentionAttrs(d: number, numHeads: number, tokens: number): tf.NamedAttrMap {
  return { numHeads, scale: defaultAttentionScale(d / numHeads), tokens };
}

interface Forward {
  /** Outputs [rows, D] */
  y: tf.Tensor;
  /** What the backward pass needs, in save order. */
  saved: tf.Tensor[];
}

function forward(x: tf.Tensor3D, t: BlockParams, numHeads: number, eps: number): Forward {
  const [batch, tokens, d] = x.shape;
  const rows = batch * tokens;
  const x2 = tf.reshape(x, [rows, d]);
  const ln1 = layerNorm(x2, t.normBefore[0], t.normBefore[1], eps);
  const w = packedWeights(t.attention);
  const b = packedBias(t.attention);
  const qkv = b ? matMulBias(ln1, w, b) : tf.matMul(ln1, w);
  // The attention kernel reads and writes flat rows (attribute tokens): no reshape either side.
  const [o, lse] = tf.engine().runKernel(ATTENTION_KERNEL, { qkv }, attentionAttrs(d, numHeads, tokens)) as tf.Tensor[];
  const att = matMulBias(o!, t.attention.out, t.attention.outBias);
  const { sum: h, normed: ln2 } = addLayerNorm(x2, att, t.normAfter[0], t.normAfter[1], eps);
  const pre = tf.matMul(ln2, t.fc1[0]);
  const y = tf.add(h, matMulBias(biasGelu(pre, t.fc1[1]), t.fc2[0], t.fc2[1]));
  return { y, saved: [x2, qkv, o!, lse!, h, ln2, pre] };
}

/**
 * Gradients of the block in the input order of `leanBlock`'s op: x, then `flatten`'s order (absent biases skipped).
 * `g` is the output gradient [rows, D]; weights come from `t` (the inputs, alive through the backward pass).
 */
function backward(g: tf.Tensor, saved: tf.Tensor[], t: BlockParams, numHeads: number, eps: number, xShape: number[]): tf.Tensor[] {
  const [x2, qkv, o, lse, h, ln2, pre] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const d = x2.shape[1];
  const colSums = (m: tf.Tensor) => tf.sum(m, 0);
  // MLP: y = h + fc2(GELU(fc1(ln2)))
  const act = biasGelu(pre, t.fc1[1]) as tf.Tensor2D;
  const dW2 = tf.matMul(act, g as tf.Tensor2D, true, false);
  const db2 = colSums(g);
  const dAct = tf.matMul(g as tf.Tensor2D, t.fc2[0] as tf.Tensor2D, false, true);
  const [dPre, db1] = runGradKernel(BIAS_GELU_GRAD_KERNEL, { dy: dAct, x: pre, bias: t.fc1[1] }, {});
  const dW1 = tf.matMul(ln2, dPre as tf.Tensor2D, true, false);
  const dLn2 = tf.matMul(dPre as tf.Tensor2D, t.fc1[0] as tf.Tensor2D, false, true);
  // h = x + att, ln2 = LN(h): the residual's gradient g joins in the LayerNorm backward kernel.
  const [dh, dgAfter, dbAfter] = runGradKernel(LAYER_NORM_GRAD_KERNEL, { dy: dLn2, x: h, weight: t.normAfter[0], dsum: g }, { eps });
  // att = o Wo + bo
  const dWo = tf.matMul(o, dh as tf.Tensor2D, true, false);
  const dbo = colSums(dh!);
  const dO = tf.matMul(dh as tf.Tensor2D, t.attention.out as tf.Tensor2D, false, true);
  const attrs = attentionAttrs(d, numHeads, xShape[1]!);
  const dQkv = tf.engine().runKernel(ATTENTION_GRAD_KERNEL, { dy: dO, qkv, out: o, lse }, attrs) as tf.Tensor;
  // qkv = ln1 [Wq|Wk|Wv] + [bq|bk|bv]; ln1 = LN(x) is recomputed (one kernel, instead of keeping it).
  const ln1 = layerNorm(x2, t.normBefore[0], t.normBefore[1], eps) as tf.Tensor2D;
  const w = packedWeights(t.attention);
  const [dWq, dWk, dWv] = tf.split(tf.matMul(ln1, dQkv as tf.Tensor2D, true, false), 3, 1);
  const present = biasPresent(t);
  const dbParts = present.some((p) => p) ? tf.split(colSums(dQkv), 3, 0) : [];
  const dLn1 = tf.matMul(dQkv as tf.Tensor2D, w as tf.Tensor2D, false, true);
  // x feeds LN1 and, through the residual, h: dh joins in the LayerNorm backward kernel.
  const [dx, dgBefore, dbBefore] = runGradKernel(LAYER_NORM_GRAD_KERNEL, { dy: dLn1, x: x2, weight: t.normBefore[0], dsum: dh! }, { eps });
  const bias = (i: number) => (present[i] ? [dbParts[i]!] : []);
  return [
    tf.reshape(dx!, xShape),
    dWq!,
    ...bias(0),
    dWk!,
    ...bias(1),
    dWv!,
    ...bias(2),
    dWo,
    dbo,
    dgBefore!,
    dbBefore!,
    dgAfter!,
    dbAfter!,
    dW1,
    db1!,
    dW2,
    db2,
  ];
}

/**
 * x + MHSA(LN(x)), then h + MLP(LN(h)) with exact GELU, for x [batch, tokens, D] and weights stored [in, out]:
 * the block of block.ts as one op. Call only when {@link leanBlockAvailable}.
 */
export function leanBlock(x: tf.Tensor3D, t: BlockParams, numHeads: number, eps: number): tf.Tensor3D {
  const state = tf.engine().state;
  // No tape recording (inference, or inside another op's forward such as recompute): the forward alone.
  if (state.gradientDepth === 0 || state.kernelDepth > 0) return tf.tidy(() => tf.reshape(forward(x, t, numHeads, eps).y, x.shape));
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xi, ...ts] = args.slice(0, -1) as tf.Tensor[];
    const ti = rebuild(t, ts);
    const { y, saved } = forward(xi as tf.Tensor3D, ti, numHeads, eps);
    save(saved);
    return {
      value: tf.reshape(y, xi!.shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], s: tf.Tensor[]) =>
        tf.tidy(() => {
          const g = Array.isArray(dy) ? dy[0]! : dy;
          return backward(tf.reshape(g, [s[0]!.shape[0]!, s[0]!.shape[1]!]), s, ti, numHeads, eps, xi!.shape);
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, ...flatten(t)) as tf.Tensor3D;
}
