import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setFusedOps, transformerBlock, blockParams } from '@adatosk/core';
import { describeWithSystem, useWebGPU } from './webgpu.js';

describeWithSystem('webgpu', 'mem', () => {
  useWebGPU();
  it('block memory', async () => {
    const rows: string[] = [];
    for (const [b, k, d, inter, h] of [[2, 100, 32, 128, 2], [2, 200, 32, 128, 2], [2, 100, 32, 64, 2], [2, 100, 32, 128, 8]]) {
      for (const fused of [true, false]) {
        setFusedOps(fused);
        const vars: Record<string, tf.Variable> = {};
        const mk = (n: string, s: number[]) => (vars[n] = tf.variable(tf.randomNormal(s, 0, 0.02, 'float32', Object.keys(vars).length + 1)));
        const pre = 'l';
        for (const n of ['query', 'key', 'value']) { mk(`${pre}.attention.attention.${n}.weight`, [d, d]); mk(`${pre}.attention.attention.${n}.bias`, [d]); }
        mk(`${pre}.attention.output.dense.weight`, [d, d]); mk(`${pre}.attention.output.dense.bias`, [d]);
        for (const n of ['layernorm_before', 'layernorm_after']) { mk(`${pre}.${n}.weight`, [d]); mk(`${pre}.${n}.bias`, [d]); }
        mk(`${pre}.intermediate.dense.weight`, [d, inter]); mk(`${pre}.intermediate.dense.bias`, [inter]);
        mk(`${pre}.output.dense.weight`, [inter, d]); mk(`${pre}.output.dense.bias`, [d]);
        const p = blockParams((n) => vars[n]!, (n) => n in vars, pre);
        const x = tf.randomNormal([b, k, d], 0, 1, 'float32', 9) as tf.Tensor3D;
        const paramBytes = Object.values(vars).reduce((a, v) => a + v.size * 4, 0);
        const base = tf.memory().numBytes;
        const gbase = (tf.memory() as any).numBytesInGPU;
        let gpeak = 0;
        const info = await tf.profile(() => {
          const list = (tf.engine().state as any).activeProfile.kernels;
          const push = list.push.bind(list);
          list.push = (...a: unknown[]) => { gpeak = Math.max(gpeak, (tf.memory() as any).numBytesInGPU); return push(...a); };
          const r = tf.variableGrads(() => tf.sum(transformerBlock(x, p, h, 1e-12)) as tf.Scalar, Object.values(vars));
          tf.dispose([r.value, ...Object.values(r.grads)]);
        });
        const act = info.peakBytes - base - paramBytes;
        const gact = gpeak - gbase - paramBytes;
        const unit = b * k * d * 4;
        rows.push(`${fused ? 'fused' : 'composite'} b${b} k${k} d${d} i${inter} h${h}: act ${act} = ${(act / unit).toFixed(2)} x [b,k,d]; gpu ${gact} = ${(gact / unit).toFixed(2)}; tokens*(d,inter)=${b * k * d * 4},${b * k * inter * 4} attn ${b * h * k * k * 4}; kernels ${info.kernels.length}`);
        if (b === 2 && k === 100 && inter === 128 && h === 2) { const c: Record<string, number> = {}; for (const kk of info.kernels) c[kk.name] = (c[kk.name] ?? 0) + 1; rows.push(JSON.stringify(c)); }
        tf.dispose([x, ...Object.values(vars)]);
      }
    }
    setFusedOps(true);
    console.log(rows.join('\n'));
  }, 600_000);
});
