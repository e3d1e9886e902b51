// What the matmul planner needs to know about the device the WebGPU backend runs on, read once per device
// from its features, limits and adapter info.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export type AdapterClass = 'software' | 'discrete' | 'integrated' | 'unknown';

export interface AdapterProfile {
  vendor: string;
  architecture: string;
  kind: AdapterClass;
  /** The device was created with the `subgroups` feature. */
  subgroups: boolean;
  /** The adapter's one subgroup size when it reports min == max (NVIDIA: 32), else undefined. */
  subgroupSize?: number;
  timestampQuery: boolean;
  maxWorkgroupBytes: number;
  maxInvocations: number;
  maxWorkgroupsPerDimension: number;
  /**
   * About how many 256-invocation workgroups run at once; the planner splits K or picks smaller tiles to
   * fill this. WebGPU does not report core counts, so it is a class estimate (an H100/H200 has 132 SMs
   * with room for two of our 256-invocation, ~128-register tiles each).
   */
  concurrentWorkgroups: number;
}

const profiles = new WeakMap<GPUDevice, AdapterProfile>();

type InfoLike = Partial<Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'>> & {
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
  isFallbackAdapter?: boolean;
};

/** The profile of `backend`'s device (cached per device). */
export function adapterProfile(backend: WebGPUBackend): AdapterProfile {
  const device = backend.device;
  let p = profiles.get(device);
  if (!p) {
    const info: InfoLike =
      (device as GPUDevice & { adapterInfo?: InfoLike }).adapterInfo ?? (backend.adapterInfo as unknown as InfoLike) ?? {};
    p = profileFrom(info, device.features, device.limits);
    profiles.set(device, p);
  }
  return p;
}

/** Builds a profile from adapter info, device features and limits (exported for tests). */
export function profileFrom(info: InfoLike, features: ReadonlySet<string>, limits: GPUSupportedLimits): AdapterProfile {
  const vendor = (info.vendor ?? '').toLowerCase();
  const architecture = (info.architecture ?? '').toLowerCase();
  const text = `${vendor} ${architecture} ${(info.description ?? '').toLowerCase()}`;
  const kind: AdapterClass =
    info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software|warp/.test(text)
      ? 'software'
      : /nvidia|amd|ati\b/.test(vendor)
        ? 'discrete'
        : /intel|apple|arm|qualcomm|mali|adreno|img|powervr/.test(text)
          ? 'integrated'
          : 'unknown';
  const min = info.subgroupMinSize;
  const max = info.subgroupMaxSize;
  const concurrentWorkgroups = kind === 'discrete' ? 264 : kind === 'integrated' ? 48 : kind === 'software' ? 8 : 128;
  return {
    vendor,
    architecture,
    kind,
    subgroups: features.has('subgroups'),
    subgroupSize: min !== undefined && min === max && min > 0 ? min : undefined,
    timestampQuery: features.has('timestamp-query'),
    maxWorkgroupBytes: limits.maxComputeWorkgroupStorageSize,
    maxInvocations: limits.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    concurrentWorkgroups,
  };
}

/**
 * Device features our kernels use when present: pass them to `adapter.requestDevice({ requiredFeatures })`
 * when creating the WebGPU backend's device (tfjs-backend-webgpu's own factory asks only for
 * `timestamp-query` and `bgra8unorm-storage`, so without this the subgroup paths stay off).
 */
export function kernelDeviceFeatures(adapter: Pick<GPUAdapter, 'features'>): GPUFeatureName[] {
  return (['subgroups', 'timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
}
