// Checkpoints over HTTP from a local server: streaming with progress, URL forms, clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createModel, resolveConfig } from '@adatosk/core';
import { checkpointUrls, fetchBytes, fetchCheckpoint, loadModelFromUrl, type DownloadProgress } from '@adatosk/backend-web';

const config = resolveConfig('tiny', { numLayers: 1, hiddenSize: 32, numHeads: 2, intermediateSize: 64, numFrames: 4, imageSize: 32 });
let server: Server;
let base: string;
let files: Record<string, { body: Uint8Array; length?: boolean }>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = createModel(config, { seed: 5 });
  const saved = await model.toSafetensors();
  model.dispose();
  const big = new Uint8Array(300_000).map((_, i) => i % 251);
  files = {
    '/run/config.json': { body: new TextEncoder().encode(saved.configJson) },
    '/run/model.safetensors': { body: saved.safetensors },
    '/lone/model.safetensors': { body: saved.safetensors },
    '/bad/config.json': { body: new TextEncoder().encode('{"hidden_size": ') },
    '/bad/model.safetensors': { body: saved.safetensors },
    '/big.bin': { body: big },
    '/chunked.bin': { body: big, length: false },
  };
  server = createServer((req, res) => {
    const f = files[new URL(req.url!, 'http://x').pathname];
    if (!f) return void res.writeHead(404, 'Not Found').end();
    res.writeHead(200, f.length === false ? {} : { 'content-length': f.body.byteLength });
    // Several chunks, so progress has something to report.
    for (let i = 0; i < f.body.byteLength; i += 65536) res.write(f.body.subarray(i, i + 65536));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('fetchBytes', () => {
  it('streams with {loaded, total} progress, with and without Content-Length', async () => {
    const events: DownloadProgress[] = [];
    const bytes = await fetchBytes(`${base}/big.bin`, { onProgress: (e) => events.push(e) });
    expect(bytes).toEqual(files['/big.bin'].body);
    expect(events.length).toBeGreaterThan(2);
    expect(events[0]).toEqual({ url: `${base}/big.bin`, loaded: 0, total: 300_000 });
    expect(events.at(-1)).toEqual({ url: `${base}/big.bin`, loaded: 300_000, total: 300_000 });
    expect(events.every((e, i) => i === 0 || e.loaded >= events[i - 1].loaded)).toBe(true);
    const chunked: DownloadProgress[] = [];
    expect(await fetchBytes(`${base}/chunked.bin`, { onProgress: (e) => chunked.push(e) })).toEqual(files['/big.bin'].body);
    expect(chunked.at(-1)).toMatchObject({ loaded: 300_000, total: undefined });
  });

  it('names the URL and status on failure', async () => {
    await expect(fetchBytes(`${base}/missing.bin`)).rejects.toThrow(`Could not fetch '${base}/missing.bin': HTTP 404`);
    await expect(fetchBytes('http://127.0.0.1:9/x')).rejects.toThrow(/Could not fetch 'http:\/\/127\.0\.0\.1:9\/x': .*CORS/);
  });
});

describe('checkpoints over HTTP', () => {
  it('resolves directory, .safetensors and config.json URLs', () => {
    expect(checkpointUrls('https://h/run')).toEqual({
      configUrl: 'https://h/run/config.json',
      weightsUrl: 'https://h/run/model.safetensors',
      configOptional: false,
    });
    expect(checkpointUrls('https://h/run/')).toEqual(checkpointUrls('https://h/run'));
    expect(checkpointUrls('https://h/a/w.safetensors')).toEqual({
      configUrl: 'https://h/a/config.json',
      weightsUrl: 'https://h/a/w.safetensors',
      configOptional: true,
    });
    expect(checkpointUrls('/r/config.json', 'https://h/page')).toMatchObject({ weightsUrl: 'https://h/r/model.safetensors' });
  });

  it('loads a model equal to the saved one, from a directory or a lone safetensors file', async () => {
    const ref = createModel(config, { seed: 5 });
    const progress: DownloadProgress[] = [];
    for (const url of [`${base}/run/`, `${base}/lone/model.safetensors`]) {
      const model = await loadModelFromUrl(url, { onProgress: (e) => progress.push(e) });
      expect(model.config).toEqual(ref.config);
      for (const [name, v] of Object.entries(ref.variables))
        expect(Array.from(model.variables[name].dataSync()), name).toEqual(Array.from(v.dataSync()));
      model.dispose();
    }
    expect(progress.at(-1)).toMatchObject({
      url: `${base}/lone/model.safetensors`,
      total: files['/lone/model.safetensors'].body.byteLength,
    });
    ref.dispose();
    const lone = await fetchCheckpoint(`${base}/lone/model.safetensors`);
    expect(lone.config).toBeNull();
    expect(lone.configUrl).toBeUndefined();
  });

  it('reports a broken config.json by URL, and a missing directory', async () => {
    await expect(fetchCheckpoint(`${base}/bad/`)).rejects.toThrow(`${base}/bad/config.json: invalid config JSON`);
    await expect(fetchCheckpoint(`${base}/nothing/`)).rejects.toThrow(`Could not fetch '${base}/nothing/config.json': HTTP 404`);
  });
});
