// AdaToskSoftmaxCrossEntropy on WebGPU: the batch-mean softmax cross-entropy with label smoothing, one
// dispatch of one workgroup (a thread per row; batches are small).
import type * as tf from '@tensorflow/tfjs-core';
import { SOFTMAX_CROSS_ENTROPY_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { f32, i32, program, runProgram, webgpu } from '../kernel-utils/program.js';
import { reduceSumSnippet } from '../kernel-utils/wgsl.js';

const WG = 64;

registerWebGPUKernel({
  kernelName: SOFTMAX_CROSS_ENTROPY_KERNEL,
  description: 'Softmax cross-entropy with label smoothing, mean over the batch, in one dispatch',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const { logits, labels } = inputs as Record<'logits' | 'labels', tf.TensorInfo>;
      const [rows, cols] = logits.shape as [number, number];
      const eps = (attrs as { labelSmoothing: number }).labelSmoothing;
      const prog = program({
        key: `softmax_xent_${WG}`,
        inputs: ['logits', 'labels'],
        outputShape: [1],
        workgroups: 1,
        workgroupSize: WG,
        uniforms: 'rows : i32, cols : i32, onTarget : f32, offTarget : f32,',
        body: `
  ${reduceSumSnippet(WG)}
  fn main(index : i32) {
    let tid = i32(localId.x);
    let cols = uniforms.cols;
    var acc = 0.0;
    for (var r = tid; r < uniforms.rows; r = r + ${WG}) {
      let base = r * cols;
      var mx = logits[base];
      for (var c = 1; c < cols; c = c + 1) { mx = max(mx, logits[base + c]); }
      var s = 0.0;
      for (var c = 0; c < cols; c = c + 1) { s = s + exp(logits[base + c] - mx); }
      let lse = log(s);
      let label = labels[r];
      var row = 0.0;
      for (var c = 0; c < cols; c = c + 1) {
        let tgt = select(0.0, uniforms.onTarget, c == label) + uniforms.offTarget;
        row = row + tgt * (logits[base + c] - mx - lse);
      }
      acc = acc + row;
    }
    let total = reduceSum(acc, tid);
    if (tid == 0) { result[0] = -(total / f32(uniforms.rows)); }
  }`,
      });
      const out = runProgram(webgpu(backend), prog, [logits, labels], [i32(rows), i32(cols), f32(1 - eps), f32(eps / cols)]);
      // A scalar: the same data, shape [].
      return { dataId: out.dataId, shape: [], dtype: 'float32' };
    },
});
