// Runs a WGSL compute shader with several output buffers on TF.js's WebGPU backend. TF.js's own program
// runner (`runWebGPUProgram`) binds exactly one output, and a flash-attention pass writes two (the forward:
// the output and the row statistics; the backward's dQ pass: dQ and D), so this records the dispatch
// itself into the backend's command encoder, doing what `recordAndSubmit` does in
// tfjs-backend-webgpu 4.22: the same compute pass, the same deferred-submit batching, the same
// buffer-lifetime bookkeeping (`commandQueueOwnedIds`) and the same timestamp queries under tf.profile.
// The pipeline itself comes from the cache our matmul programs compile through (../wgsl/program.ts).
/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs-core';
import { cachedPipeline, type UniformData } from '../wgsl/program.js';

/** One dispatch: outputs are bound first (read_write, bindings 0..), then inputs (read), then the uniforms. */
export interface ComputeDispatch {
  /** Shown by tf.profile's per-kernel GPU times. */
  name: string;
  /** Pipeline cache key: everything the WGSL source depends on. */
  key: string;
  /** The WGSL source (called once per key and device). */
  source: () => string;
  outputs: tf.TensorInfo[];
  inputs: tf.TensorInfo[];
  uniforms: UniformData;
  workgroups: [number, number, number];
}

interface TensorData {
  resource?: unknown;
}

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) this file uses; most are private there. */
interface BackendInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: object): TensorData | undefined };
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
  activeTimers: Array<{ name: string; query: Promise<number> }> | null | undefined;
  supportTimestampQuery: boolean;
  querySet: GPUQuerySet | null | undefined;
  querySetCount: number;
  uploadToGPU(dataId: object): void;
  makeUniforms(uniforms: UniformData): GPUBufferBinding;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  getQueryTime(): Promise<number>;
}

function internals(backend: unknown): BackendInternals {
  const b = backend as Partial<BackendInternals> | null;
  if (!b || typeof b.makeUniforms !== 'function' || typeof b.uploadToGPU !== 'function' || !b.device || !b.tensorMap)
    throw new Error(
      '@adatosk/webgpu: this kernel runs only on the WebGPU backend of @tensorflow/tfjs-backend-webgpu 4.x (tf.setBackend("webgpu"))',
    );
  return b as BackendInternals;
}

/** The GPU device of TF.js's WebGPU backend. */
export function backendDevice(backend: unknown): GPUDevice {
  return internals(backend).device;
}

function bufferOf(b: BackendInternals, t: tf.TensorInfo, what: string): GPUBuffer {
  b.uploadToGPU(t.dataId);
  const resource = b.tensorMap.get(t.dataId)?.resource as GPUBuffer | undefined;
  if (!resource || typeof (resource as { size?: unknown }).size !== 'number')
    throw new Error(`@adatosk/webgpu: ${what} of shape [${t.shape}] is not held in a GPU buffer`);
  return resource;
}

/**
 * Allocates a float32 tensor's GPU buffer (contents undefined: the shader writes every element). An empty
 * shape gets an empty array on the CPU instead, as TF.js's own programs do.
 */
export function allocate(backend: unknown, shape: number[]): tf.TensorInfo {
  const be = backend as { makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo };
  if (shape.some((d) => d === 0)) return be.makeTensorInfo(shape, 'float32', new Float32Array(0));
  const info = be.makeTensorInfo(shape, 'float32');
  internals(backend).uploadToGPU(info.dataId);
  return info;
}

/** Records one dispatch (see the file comment). */
export function dispatchCompute(backend: unknown, d: ComputeDispatch): void {
  const b = internals(backend);
  if (d.workgroups.some((n) => n === 0)) return;
  const p = cachedPipeline(b.device, d.key, d.name, d.source, false);
  const buffers = [...d.outputs.map((t, i) => bufferOf(b, t, `output ${i}`)), ...d.inputs.map((t, i) => bufferOf(b, t, `input ${i}`))];
  const uniform = b.makeUniforms(d.uniforms);
  for (const t of [...d.outputs, ...d.inputs]) b.commandQueueOwnedIds.add(t.dataId);
  const bindGroup = b.device.createBindGroup({
    layout: p.getBindGroupLayout(0),
    entries: [...buffers.map((buffer, i) => ({ binding: i, resource: { buffer } })), { binding: buffers.length, resource: uniform }],
  });
  const timed = b.activeTimers != null;
  b.ensureCommandEncoderReady();
  const encoder = b.commandEncoder!;
  if (timed && b.supportTimestampQuery) {
    b.endComputePassEncoder();
    if (b.querySet == null) b.querySet = b.device.createQuerySet({ type: 'timestamp', count: b.querySetCount });
    b.computePassEncoder = encoder.beginComputePass({
      timestampWrites: { querySet: b.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    });
  } else if (!b.computePassEncoder) {
    b.computePassEncoder = encoder.beginComputePass({});
  }
  const pass = b.computePassEncoder!;
  pass.setPipeline(p);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  b.dispatchCountInPass++;
  if (timed || (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    if (timed) b.activeTimers!.push({ name: d.name, query: b.getQueryTime() });
    else b.submitQueue();
  }
}
