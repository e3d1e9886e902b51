// benchmarkMatMuls on WebGPU (SwiftShader: the numbers mean nothing there, the structure does): rows with
// our and TF.js's timings, the plan, summaries per class; the kernels and options are restored after.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { benchmarkMatMuls, getMatMulOptions, listWebGPUKernels, trainingMatMuls } from '@adatosk/webgpu';
import { describeWithSystem, useWebGPU } from './webgpu.js';

describeWithSystem('webgpu', 'benchmarkMatMuls', () => {
  useWebGPU({ install: false });

  it('times our kernels against TF.js per product and class, and restores kernels and options', async () => {
    const widths = {
      hidden: 64,
      intermediate: 256,
      heads: 2,
      decoderHidden: 32,
      decoderIntermediate: 128,
      decoderHeads: 2,
      patchPixels: 96,
      classes: 7,
    };
    const shapes = trainingMatMuls(widths, 1, { encoderTokens: 96, attentionN: [40] }).filter((s) =>
      ['qkv fwd', 'qkv dW', 'classifier fwd', 'attn N=40 Q.K^T, dO.V^T'].includes(s.name),
    );
    expect(shapes).toHaveLength(4);
    const rows: string[] = [];
    const before = tf.memory().numTensors;
    const result = await benchmarkMatMuls({ shapes, reps: 2, onRow: (r) => rows.push(r.name) });
    expect(rows).toEqual(shapes.map((s) => s.name));
    expect(result.adapter.kind).toBe('software');
    expect(result.timing).toBe('gpu-timestamp');
    for (const r of result.rows) {
      expect(r.error, r.name).toBeUndefined();
      expect(r.plan, r.name).toMatch(/^(tiled|dot|tfjs)/);
      for (const t of [r.ours!, r.tfjs!]) {
        expect(t.wallMs).toBeGreaterThan(0);
        expect(t.gpuMs).toBeGreaterThan(0);
        expect(t.tflops).toBeCloseTo(r.gflop / t.gpuMs!, 9); // GFLOP per ms = TFLOP/s
      }
      expect(r.speedup).toBeCloseTo(r.tfjs!.gpuMs! / r.ours!.gpuMs!, 6);
    }
    expect(result.rows.find((r) => r.name === 'qkv fwd')!.bias).toBe(true);
    expect(result.summary.map((s) => s.shapeClass).sort()).toEqual(['attention', 'classifier', 'linear']);
    // Left as found: kernels not installed, options at their defaults, no tensors.
    expect(listWebGPUKernels().filter((k) => k.installed)).toEqual([]);
    expect(getMatMulOptions()).toEqual({ mode: 'auto', minMacs: 1 << 15, subgroups: true });
    expect(tf.memory().numTensors).toBe(before);
  });
});
