// AdaToskSoftmaxCrossEntropyGrad on WebGPU: dlogits = dy * (softmax(logits) - target) / batch, one dispatch.
import type * as tf from '@tensorflow/tfjs-core';
import { SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL } from '@adatosk/core/internal';
import { registerWebGPUKernel } from '../registry.js';
import { f32, i32, program, runProgram, sizeOf, webgpu } from '../kernel-utils/program.js';

const WG = 64;

registerWebGPUKernel({
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD_KERNEL,
  description: 'Softmax cross-entropy backward (logits gradient) in one dispatch',
  create:
    () =>
    ({ inputs, backend, attrs }) => {
      const { dy, logits, labels } = inputs as Record<'dy' | 'logits' | 'labels', tf.TensorInfo>;
      const [rows, cols] = logits.shape as [number, number];
      const eps = (attrs as { labelSmoothing: number }).labelSmoothing;
      const size = sizeOf(logits.shape);
      const prog = program({
        key: `softmax_xent_grad_${WG}`,
        inputs: ['dy', 'logits', 'labels'],
        outputShape: logits.shape,
        workgroups: Math.ceil(size / WG),
        workgroupSize: WG,
        uniforms: 'rows : i32, cols : i32, onTarget : f32, offTarget : f32,',
        body: `
  fn main(index : i32) {
    if (index >= uniforms.rows * uniforms.cols) { return; }
    let cols = uniforms.cols;
    let r = index / cols;
    let c = index - r * cols;
    let base = r * cols;
    var mx = logits[base];
    for (var k = 1; k < cols; k = k + 1) { mx = max(mx, logits[base + k]); }
    var s = 0.0;
    for (var k = 0; k < cols; k = k + 1) { s = s + exp(logits[base + k] - mx); }
    let p = exp(logits[index] - mx) / s;
    let tgt = select(0.0, uniforms.onTarget, c == labels[r]) + uniforms.offTarget;
    result[index] = dy[0] * (p - tgt) / f32(uniforms.rows);
  }`,
      });
      return runProgram(webgpu(backend), prog, [dy, logits, labels], [i32(rows), i32(cols), f32(1 - eps), f32(eps / cols)]);
    },
});
