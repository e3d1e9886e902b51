#!/usr/bin/env node
// Activation memory one transformer block keeps through a training step on WebGPU: tf.profile's peak over a
// forward and backward pass of two blocks minus that of one, less the block's weight gradients (which the budget
// counts with the parameters), next to what `blockActivationBytes` (the 'auto' recomputation policy) estimates.
// Any adapter will do: tensor bytes are the same on every adapter.
//
//   node scripts/block-memory.mjs [batch=1] [tokens=400] [width=768] [inner=3072] [heads=12] [--op-by-op]
//
// `--op-by-op` turns off the block-as-one-op (LEAN_BLOCK) so the fused kernels run op by op. Needs a build:
// npx turbo run build --filter=@adatosk/backend-node...
import * as tf from '@tensorflow/tfjs-core';
import { selectDevice } from '@adatosk/backend-node';
import { LEAN_BLOCK, setFusedOps } from '@adatosk/core';
import { blockActivationBytes, blockParams, leanBlockAvailable, transformerBlock } from '@adatosk/core/internal';

const args = process.argv.slice(2);
const [b = 1, k = 400, d = 768, inter = 3072, heads = 12] = args.filter((a) => !a.startsWith('--')).map(Number);
await selectDevice('webgpu', { webgpuKernels: true });
if (args.includes('--op-by-op')) setFusedOps(false, [LEAN_BLOCK]);

/** One block's variables under HF names (seeded). */
function block(seed) {
  const m = {};
  const mk = (n, s) => (m[n] = tf.variable(tf.randomNormal(s, 0, 0.05, 'float32', seed++)));
  for (const n of ['query', 'key', 'value']) {
    mk(`l.attention.attention.${n}.weight`, [d, d]);
    mk(`l.attention.attention.${n}.bias`, [d]);
  }
  mk('l.attention.output.dense.weight', [d, d]);
  mk('l.attention.output.dense.bias', [d]);
  for (const n of ['layernorm_before', 'layernorm_after']) {
    mk(`l.${n}.weight`, [d]);
    mk(`l.${n}.bias`, [d]);
  }
  mk('l.intermediate.dense.weight', [d, inter]);
  mk('l.intermediate.dense.bias', [inter]);
  mk('l.output.dense.weight', [inter, d]);
  mk('l.output.dense.bias', [d]);
  return {
    params: blockParams(
      (n) => m[n],
      (n) => n in m,
      'l',
    ),
    vars: Object.values(m),
  };
}

async function peakBytes(blocks) {
  const bs = Array.from({ length: blocks }, (_, i) => block(100 * i));
  const x = tf.randomNormal([b, k, d], 0, 1, 'float32', 7);
  const before = tf.memory().numBytes;
  const profile = await tf.profile(async () => {
    const { value, grads } = tf.variableGrads(() => {
      let h = x;
      for (const { params } of bs) h = transformerBlock(h, params, heads, 1e-12);
      return tf.sum(h);
    });
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  });
  const weightBytes = bs[0].vars.reduce((n, v) => n + 4 * v.size, 0);
  tf.dispose([x, ...bs.flatMap((q) => q.vars)]);
  return { peak: profile.peakBytes - before, weightBytes };
}

const one = await peakBytes(1);
const two = await peakBytes(2);
const measured = two.peak - one.peak - one.weightBytes;
const MiB = (n) => Math.round((n / 2 ** 20) * 100) / 100;
console.log(
  JSON.stringify({
    shape: { batch: b, tokens: k, width: d, inner: inter, heads },
    leanBlock: leanBlockAvailable(),
    measuredMiBPerBlock: MiB(measured),
    estimateMiBPerBlock: MiB(blockActivationBytes(b, k, d, inter, heads)),
    widths: Math.round((measured / (4 * b * k * d)) * 100) / 100,
  }),
);
