// Building and compiling our WGSL modules, for both ways they run on TF.js's WebGPU backend: a program
// run through the backend's own `runWebGPUProgram` ({@link CustomProgram}: the matmul kernels), and a
// dispatch recorded by hand (src/attention/dispatch.ts: passes with several outputs). Shared by both:
// the binding and uniform declarations ({@link bindingDeclarations}, {@link uniformStruct},
// {@link uniformData}) and the per-device pipeline cache with its debug log ({@link cachedPipeline}).
//
// {@link CustomProgram}: why not `getUserCode()`: TF.js prepends its own declarations to the user code,
// so a program cannot start with `enable subgroups;` (WGSL wants `enable` directives before any
// declaration), and every program pays for helpers it does not use. Instead, the moment
// `runWebGPUProgram` assigns the final shader key (it reads our base key, appends input ranks/dtypes/
// workgroup size, assigns the result, then looks it up in its pipeline cache), our setter puts our own
// compiled pipeline into that cache under that key, so TF.js finds it and never generates source. The
// module must declare the bindings exactly as TF.js binds them: 0 = output, 1..n = inputs in order,
// n+1 = the uniform buffer laid out by {@link tfjsUniformFields}.
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

/** The uniform values in field order (what `runWebGPUProgram` and TF.js's `makeUniforms` take). */
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

/** `struct <name> { a: u32, b: f32, ... }`, the WGSL layout {@link uniformData} fills (scalars, 4-byte aligned). */
export function uniformStruct(name: string, fields: readonly { name: string; type: string }[]): string {
  return `struct ${name} {\n  ${fields.map((f) => `${f.name}: ${f.type},`).join('\n  ')}\n};`;
}

/** One `@group(0) @binding(i)` variable: a storage buffer (`read` or `read_write`) or a uniform struct. */
export type Binding = { name: string; access: 'read' | 'read_write'; type: string } | { name: string; uniform: string };

/** The bindings of group 0 in order, numbered from 0; `undefined` entries (optional inputs) are left out. */
export function bindingDeclarations(bindings: readonly (Binding | undefined)[]): string {
  return bindings
    .filter((b): b is Binding => b !== undefined)
    .map((b, i) =>
      'uniform' in b
        ? `@group(0) @binding(${i}) var<uniform> ${b.name}: ${b.uniform};`
        : `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: ${b.type};`,
    )
    .join('\n');
}

/**
 * The WGSL struct `Uniforms` as TF.js fills it for a program with inputs of `inputRanks` and an output of
 * `outputRank` (NAN, INFINITY, each input's shape and strides, the output's), then `extra` fields.
 */
export function tfjsUniformFields(inputRanks: readonly number[], outputRank: number, extra: readonly UniformField[]): string {
  const fields: { name: string; type: string }[] = [
    { name: 'NAN', type: 'f32' },
    { name: 'INFINITY', type: 'f32' },
  ];
  [...inputRanks, outputRank].forEach((rank, i) => {
    const name = i === inputRanks.length ? 'out' : `in${i}`;
    fields.push({ name: `${name}Shape`, type: coordsType(rank) }, { name: `${name}ShapeStrides`, type: coordsType(rank - 1) });
  });
  return uniformStruct('Uniforms', [...fields, ...extra]);
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

function compile(device: GPUDevice, label: string, code: string, async: boolean): GPUComputePipeline | Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ code, label });
  if (shaderDebug) {
    void module.getCompilationInfo().then((info) => {
      if (info.messages.length === 0) return;
      const numbered = code
        .split('\n')
        .map((l, i) => `${String(i + 1).padStart(4)} ${l}`)
        .join('\n');
      console.warn(`${label}:\n${info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`).join('\n')}\n${numbered}`);
    });
  }
  const descriptor: GPUComputePipelineDescriptor = { compute: { module, entryPoint: 'main' }, layout: 'auto', label };
  return async ? device.createComputePipelineAsync(descriptor) : device.createComputePipeline(descriptor);
}

/**
 * The compute pipeline (entry point `main`, layout 'auto') of `source()`, compiled once per device and
 * `key` (the key must name everything the source depends on). `async`: compile with
 * createComputePipelineAsync (TF.js's `WEBGPU_ENGINE_COMPILE_ONLY`); a key first compiled one way is
 * returned as it was compiled.
 */
export function cachedPipeline(device: GPUDevice, key: string, label: string, source: () => string, async: false): GPUComputePipeline;
export function cachedPipeline(
  device: GPUDevice,
  key: string,
  label: string,
  source: () => string,
  async: boolean,
): GPUComputePipeline | Promise<GPUComputePipeline>;
export function cachedPipeline(
  device: GPUDevice,
  key: string,
  label: string,
  source: () => string,
  async: boolean,
): GPUComputePipeline | Promise<GPUComputePipeline> {
  let cache = compiled.get(device);
  if (!cache) compiled.set(device, (cache = new Map()));
  let pipeline = cache.get(key);
  if (!pipeline) cache.set(key, (pipeline = compile(device, label, source(), async)));
  if (!async && pipeline instanceof Promise) throw new Error(`${label}: pipeline '${key}' is still compiling asynchronously`);
  return pipeline;
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
    if (spec.dispatch.some((d) => d > max))
      throw new Error(`${this.constructor.name}: dispatch [${spec.dispatch}] exceeds the device limit ${max}`);
  }

  get shaderKey(): string {
    return this.key;
  }

  // runWebGPUProgram assigns the full key right before it looks the pipeline up: compile ours into its cache.
  set shaderKey(fullKey: string) {
    this.key = fullKey;
    const cache = this.backend.pipelineCache;
    if (fullKey in cache) return;
    cache[fullKey] = cachedPipeline(
      this.backend.device,
      this.sourceKey,
      this.constructor.name,
      this.source,
      tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY'),
    );
  }

  getUserCode(): string {
    throw new Error(`${this.constructor.name} compiles its own WGSL module; getUserCode() is never used`);
  }
}
