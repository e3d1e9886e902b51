// A transformer block's parameters: looked up by Hugging Face name, and listed in one fixed order (the order
// the custom-gradient ops that take a whole block, recompute and the lean block, give their gradients in).
import type * as tf from '@tensorflow/tfjs-core';
import type { AttentionParams } from './attention.js';

export interface BlockParams {
  attention: AttentionParams;
  normBefore: [tf.Tensor, tf.Tensor];
  normAfter: [tf.Tensor, tf.Tensor];
  fc1: [tf.Tensor, tf.Tensor];
  fc2: [tf.Tensor, tf.Tensor];
}

/** Variables of one HF `VideoMAELayer` (`prefix` e.g. `videomae.encoder.layer.3`), looked up by HF name. */
export function blockParams(get: (name: string) => tf.Tensor, has: (name: string) => boolean, prefix: string): BlockParams {
  const att = `${prefix}.attention.attention`;
  const opt = (n: string) => (has(n) ? get(n) : undefined);
  return {
    attention: {
      query: get(`${att}.query.weight`),
      queryBias: opt(`${att}.query.bias`),
      key: get(`${att}.key.weight`),
      keyBias: opt(`${att}.key.bias`),
      value: get(`${att}.value.weight`),
      valueBias: opt(`${att}.value.bias`),
      out: get(`${prefix}.attention.output.dense.weight`),
      outBias: get(`${prefix}.attention.output.dense.bias`),
    },
    normBefore: [get(`${prefix}.layernorm_before.weight`), get(`${prefix}.layernorm_before.bias`)],
    normAfter: [get(`${prefix}.layernorm_after.weight`), get(`${prefix}.layernorm_after.bias`)],
    fc1: [get(`${prefix}.intermediate.dense.weight`), get(`${prefix}.intermediate.dense.bias`)],
    fc2: [get(`${prefix}.output.dense.weight`), get(`${prefix}.output.dense.bias`)],
  };
}

/** The block's tensors in a fixed order (absent optional biases skipped). */
export function flatten(p: BlockParams): tf.Tensor[] {
  const a = p.attention;
  const all = [
    a.query,
    a.queryBias,
    a.key,
    a.keyBias,
    a.value,
    a.valueBias,
    a.out,
    a.outBias,
    ...p.normBefore,
    ...p.normAfter,
    ...p.fc1,
    ...p.fc2,
  ];
  return all.filter((t): t is tf.Tensor => t !== undefined);
}

/** `p` with its tensors replaced, in `flatten`'s order, by `list`. */
export function rebuild(p: BlockParams, list: tf.Tensor[]): BlockParams {
  let i = 0;
  const next = () => list[i++]!;
  const opt = (t: tf.Tensor | undefined) => (t === undefined ? undefined : next());
  const a = p.attention;
  const attention: AttentionParams = {
    query: next(),
    queryBias: opt(a.queryBias),
    key: next(),
    keyBias: opt(a.keyBias),
    value: next(),
    valueBias: opt(a.valueBias),
    out: next(),
    outBias: next(),
  };
  return { attention, normBefore: [next(), next()], normAfter: [next(), next()], fc1: [next(), next()], fc2: [next(), next()] };
}
