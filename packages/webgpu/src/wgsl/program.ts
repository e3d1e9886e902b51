// A TF.js WebGPU program whose whole WGSL module we write ourselves, run through the backend's own
// `runWebGPUProgram` (its buffers, uniforms, command encoder, timestamp queries and `tf.profile` names).
//
// Why not `getUserCode()`: TF.js prepends its own declarations to the user code, so a program cannot start
// with `enable subgroups;` (WGSL wants `enable` directives before any declaration), and every program pays
// for helpers it does not use. Instead, the moment `runWebGPUProgram` assigns the final shader key (it
// reads our base key, appends input ranks/dtypes/workgroup size, assigns the result, then looks it up in
// its pipeline cache), our setter puts our own compiled pipeline into that cache under that key, so TF.js
// finds it and never generates source. The module must declare the bindings exactly as TF.js binds them:
// 0 = output, 1..n = inputs in order, n+1 = the uniform buffer laid out by {@link tfjsUniformFields}.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** The WebGPU backend's members this file relies on (tfjs-backend-webgpu 4.22). */
interface BackendInternals {
  device: GPUDevice;
  pipelineCache: Record<string, GPUComputePipeline | Promise<GPUComputePipeline>>;
}

/** One extra uniform after TF.js's own fields (scalars only: each gets 4-byte alignment, like WGSL). */
export interface UniformField {
  name: string;
  type: 'i32' | 'u32' | 'f32';
}

/** What `runWebGPUProgram` takes as `programDefinedUniform` for {@link UniformField}s. */
export type UniformData = { type: 'int32' | 'uint32' | 'float32'; data: number[] }[];

const TYPE_OF = { i32: 'int32', u32: 'uint32', f32: 'float32' } as const;

/** The uniform values in field order, for `runWebGPUProgram`. */
export function uniformData(fields: readonly UniformField[], values: Record<string, number>): UniformData {
  return fields.map((f) => {
    const v = values[f.name];
    if (v === undefined || !Number.isFinite(v)) throw new Error(`uniform '${f.name}' has no finite value (${v})`);
    return { type: TYPE_OF[f.type], data: [v] };
  });
}

// TF.js writes a shape of rank r as r int32s and its strides as r-1 (an empty list becomes one int32), with
// WGSL alignment; declaring the same types in the same order gives the same byte layout.
function coordsType(n: number): string {
  if (n <= 1) return 'i32';
  if (n <= 4) return `vec${n}<i32>`;
  throw new Error(`rank ${n + 1} tensors are not supported by custom programs (at most 4)`);
}

/**
 * The WGSL struct `Uniforms` as TF.js fills it for a program with inputs of `inputRanks` and an output of
 * `outputRank` (NAN, INFINITY, each input's shape and strides, the output's), then `extra` fields.
 */
export function tfjsUniformFields(inputRanks: readonly number[], outputRank: number, extra: readonly UniformField[]): string {
  const lines = ['NAN: f32,', 'INFINITY: f32,'];
  [...inputRanks, outputRank].forEach((rank, i) => {
    const name = i === inputRanks.length ? 'out' : `in${i}`;
    lines.push(`${name}Shape: ${coordsType(rank)},`, `${name}ShapeStrides: ${coordsType(rank - 1)},`);
  });
  for (const f of extra) lines.push(`${f.name}: ${f.type},`);
  return `struct Uniforms {\n  ${lines.join('\n  ')}\n};`;
}

export interface CustomProgramSpec {
  /** Unique for everything the source depends on besides the ranks below (tile, layouts, epilogue). */
  key: string;
  /** Ranks of the inputs (binding order) and the output: they shape the uniform struct. */
  ranks: { inputs: number[]; output: number };
  outputShape: number[];
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** One name per input, in binding order (TF.js keys its cache on these too). */
  variableNames: string[];
  /** The complete WGSL module (bindings as described at the top of this file). */
  source: () => string;
}

// Pipelines by our own key, per device. TF.js's key also encodes which input dims broadcast against the
// output (size-1 dims), which our sources do not depend on: one compile serves all those keys.
const compiled = new WeakMap<GPUDevice, Map<string, GPUComputePipeline | Promise<GPUComputePipeline>>>();

/** Logs compilation messages of our shaders (`ADATOSK_WEBGPU_DEBUG=1`, or {@link setShaderDebug}). */
let shaderDebug = typeof process !== 'undefined' && process.env?.ADATOSK_WEBGPU_DEBUG === '1';

export function setShaderDebug(on: boolean): void {
  shaderDebug = on;
}

/**
 * A program for `backend.runWebGPUProgram` whose pipeline comes from {@link CustomProgramSpec.source}.
 * The class name is what `tf.profile` and timestamp queries report, so subclasses name the kernel.
 */
export class CustomProgram {
  outputShape: number[];
  dispatchLayout = { x: [0], y: [1], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  size = false;
  pipeline?: GPUComputePipeline | Promise<GPUComputePipeline>;
  private key: string;
  private readonly sourceKey: string;
  private readonly backend: BackendInternals;
  private readonly source: () => string;

  constructor(backend: WebGPUBackend, spec: CustomProgramSpec) {
    this.backend = backend as unknown as BackendInternals;
    this.key = `adatosk_${spec.key}_r${spec.ranks.inputs.join('')}o${spec.ranks.output}`;
    this.sourceKey = this.key;
    this.outputShape = spec.outputShape;
    this.dispatch = spec.dispatch;
    this.workgroupSize = spec.workgroupSize;
    this.variableNames = spec.variableNames;
    this.source = spec.source;
    const max = this.backend.device.limits.maxComputeWorkgroupsPerDimension;
    if (spec.dispatch.some((d) => d > max)) throw new Error(`${this.constructor.name}: dispatch [${spec.dispatch}] exceeds the device limit ${max}`);
  }

  get shaderKey(): string {
    return this.key;
  }

  // runWebGPUProgram assigns the full key right before it looks the pipeline up: compile ours into its cache.
  set shaderKey(fullKey: string) {
    this.key = fullKey;
    const cache = this.backend.pipelineCache;
    if (fullKey in cache) return;
    const device = this.backend.device;
    let ours = compiled.get(device);
    if (!ours) compiled.set(device, (ours = new Map()));
    let pipeline = ours.get(this.sourceKey);
    if (!pipeline) ours.set(this.sourceKey, (pipeline = this.compile(fullKey)));
    cache[fullKey] = pipeline;
  }

  getUserCode(): string {
    throw new Error(`${this.constructor.name} compiles its own WGSL module; getUserCode() is never used`);
  }

  private compile(label: string): GPUComputePipeline | Promise<GPUComputePipeline> {
    const device = this.backend.device;
    const code = this.source();
    const module = device.createShaderModule({ code, label: this.constructor.name });
    if (shaderDebug) {
      void module.getCompilationInfo().then((info) => {
        if (info.messages.length === 0) return;
        const numbered = code.split('\n').map((l, i) => `${String(i + 1).padStart(4)} ${l}`).join('\n');
        console.warn(`${this.constructor.name} (${label}):\n${info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`).join('\n')}\n${numbered}`);
      });
    }
    const descriptor: GPUComputePipelineDescriptor = { compute: { module, entryPoint: 'main' }, layout: 'auto', label: this.constructor.name };
    return tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY') ? device.createComputePipelineAsync(descriptor) : device.createComputePipeline(descriptor);
  }
}
