// Checkpoints over HTTP: config.json + model.safetensors, streamed with fetch + ReadableStream so the
// page can show progress.
import {
  adaToskFromSafetensors,
  modelFromSafetensors,
  readSafetensorsHeader,
  readSavedModelConfig,
  savedAdaToskOptions,
  type AdaToskModel,
  type AdaToskOptions,
  type LoadOptions,
  type VideoMAEModel,
} from '@adatosk/core';

export interface DownloadProgress {
  /** URL being downloaded. */
  url: string;
  loaded: number;
  /** From Content-Length; undefined when the server does not say (e.g. compressed responses). */
  total: number | undefined;
}

export interface FetchOptions {
  onProgress?: (event: DownloadProgress) => void;
  signal?: AbortSignal;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof fetch;
}

/** Downloads `url` into one Uint8Array, reporting `{loaded, total}` after every chunk. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal });
  } catch (err) {
    throw new Error(`Could not fetch '${url}': ${(err as Error).message}. Check the URL and that the server allows CORS.`);
  }
  if (!response.ok) throw new Error(`Could not fetch '${url}': HTTP ${response.status} ${response.statusText}`.trim());
  const header = response.headers.get('content-length');
  const total = header !== null && header !== '' && Number.isFinite(Number(header)) ? Number(header) : undefined;
  const report = (loaded: number) => options.onProgress?.({ url, loaded, total });
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    report(bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  // Preallocate when the size is known; otherwise collect chunks and join once.
  let buffer = total !== undefined ? new Uint8Array(total) : undefined;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  report(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buffer !== undefined && loaded + value.byteLength <= buffer.byteLength) buffer.set(value, loaded);
    else {
      if (buffer !== undefined) {
        chunks.push(buffer.subarray(0, loaded));
        buffer = undefined; // the server sent more than it announced: fall back to chunks
      }
      chunks.push(value);
    }
    loaded += value.byteLength;
    report(loaded);
  }
  if (buffer !== undefined) {
    if (loaded !== buffer.byteLength) throw new Error(`'${url}' ended after ${loaded} of ${buffer.byteLength} bytes (connection dropped?)`);
    return buffer;
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export interface RemoteCheckpoint {
  configUrl?: string;
  weightsUrl: string;
  /** The model config from config.json (null when the weights' metadata carries it). */
  config: Record<string, unknown> | null;
  /** AdaTosk options saved with the model (config.json's `adatosk` or the weights' metadata), if any. */
  adatosk?: Record<string, unknown>;
  safetensors: Uint8Array;
}

/**
 * Resolves the two URLs of a checkpoint: a base URL ending in '/' (config.json + model.safetensors), a
 * `.safetensors` URL (its sibling config.json is tried; without one the file's metadata config is used),
 * or a `config.json` URL (weights next to it).
 */
export function checkpointUrls(url: string, base?: string): { configUrl: string; weightsUrl: string; configOptional: boolean } {
  const u = new URL(url, base ?? (globalThis as { location?: { href: string } }).location?.href);
  const path = u.pathname;
  if (path.endsWith('.safetensors')) return { configUrl: new URL('config.json', u).href, weightsUrl: u.href, configOptional: true };
  if (path.endsWith('.json')) return { configUrl: u.href, weightsUrl: new URL('model.safetensors', u).href, configOptional: false };
  const dir = path.endsWith('/') ? u : new URL(`${u.pathname}/${u.search}`, u);
  return { configUrl: new URL('config.json', dir).href, weightsUrl: new URL('model.safetensors', dir).href, configOptional: false };
}

/**
 * Downloads a checkpoint's config and weights (progress is reported for the weights). An `adatosk train` run folder
 * loads as is; a config.json holding a run's settings (AdaTosk.js 0.1 run folders) yields its model config. The
 * weights are checked against their header: a cut-short download says "truncated".
 */
export async function fetchCheckpoint(url: string, options: FetchOptions & { base?: string } = {}): Promise<RemoteCheckpoint> {
  const { configUrl, weightsUrl, configOptional } = checkpointUrls(url, options.base);
  let config: Record<string, unknown> | null = null;
  let adatosk: Record<string, unknown> | undefined;
  let text: string | undefined;
  try {
    text = new TextDecoder().decode(await fetchBytes(configUrl, { ...options, onProgress: undefined }));
  } catch (err) {
    if (!configOptional) throw err;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${configUrl}: invalid config JSON (${(err as Error).message})`);
    }
    ({ config, adatosk } = readSavedModelConfig(parsed, configUrl));
  }
  const safetensors = await fetchBytes(weightsUrl, options);
  const metadata = readSafetensorsHeader(safetensors, weightsUrl).header.__metadata__ as Record<string, string> | undefined;
  adatosk ??= savedAdaToskOptions(metadata ?? {}, weightsUrl);
  return { configUrl: config ? configUrl : undefined, weightsUrl, config, ...(adatosk ? { adatosk } : {}), safetensors };
}

/** Downloads and builds a VideoMAE model (see `fetchCheckpoint` for the URL forms). */
export async function loadModelFromUrl(url: string, options: FetchOptions & LoadOptions & { base?: string } = {}): Promise<VideoMAEModel> {
  const ckpt = await fetchCheckpoint(url, options);
  return modelFromSafetensors(ckpt.config, ckpt.safetensors, { seed: options.seed, strict: options.strict, source: ckpt.weightsUrl });
}

/**
 * Downloads a checkpoint and wraps it in AdaTosk (inference `predict` + `softMasks`), with the AdaTosk options saved
 * beside the weights (`options.adatosk` override them). The mask strategies must be registered first:
 * `import '@adatosk/masks'`.
 */
export async function loadAdaToskFromUrl(
  url: string,
  options: FetchOptions & { base?: string; load?: LoadOptions; adatosk?: AdaToskOptions } = {},
): Promise<AdaToskModel> {
  const ckpt = await fetchCheckpoint(url, options);
  return adaToskFromSafetensors(ckpt.config, ckpt.safetensors, {
    ...ckpt.adatosk,
    ...options.adatosk,
    load: { source: ckpt.weightsUrl, ...options.load },
  });
}
