import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createModel, resolveConfig } from '@adatosk/core';
import { loadModel, readCheckpoint, resolveCheckpoint, saveCheckpoint, writeFileAtomic } from '@adatosk/backend-node';

let dir: string;
const config = resolveConfig('tiny', { numLayers: 1, hiddenSize: 32, numHeads: 2, intermediateSize: 64, numFrames: 4, imageSize: 32 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'adatosk-ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveCheckpoint / loadModel', () => {
  it('round-trips a model through a directory, a .safetensors path and a config.json path', async () => {
    const model = createModel(config, { seed: 3 });
    const out = join(dir, 'run1');
    const files = await saveCheckpoint(out, model);
    expect(files).toEqual({ configPath: join(out, 'config.json'), weightsPath: join(out, 'model.safetensors') });
    expect((await readdir(out)).sort()).toEqual(['config.json', 'model.safetensors']);
    for (const path of [out, files.weightsPath, files.configPath]) {
      const loaded = await loadModel(path);
      expect(loaded.config).toEqual(model.config);
      for (const [name, v] of Object.entries(model.variables)) {
        expect(Array.from(loaded.variables[name].dataSync()), name).toEqual(Array.from(v.dataSync()));
      }
      loaded.dispose();
    }
    model.dispose();
  });

  it('loads a lone .safetensors file from the config in its metadata', async () => {
    const model = createModel(config, { seed: 4 });
    const lone = join(dir, 'lone');
    await mkdir(lone);
    await writeFile(join(lone, 'weights.safetensors'), (await model.toSafetensors()).safetensors);
    expect(await resolveCheckpoint(join(lone, 'weights.safetensors'))).toEqual({ weightsPath: join(lone, 'weights.safetensors') });
    const loaded = await loadModel(join(lone, 'weights.safetensors'));
    expect(loaded.config).toEqual(model.config);
    loaded.dispose();
    model.dispose();
  });

  it('gives clear errors naming the path and the fix', async () => {
    await expect(readCheckpoint(join(dir, 'nope'))).rejects.toThrow(
      /'.*nope' does not exist\. Pass a directory holding model\.safetensors/,
    );
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'ema.safetensors'), new Uint8Array(8));
    await expect(readCheckpoint(other)).rejects.toThrow(
      /has no model\.safetensors\. It holds ema\.safetensors: pass one of those files directly/,
    );
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'model.safetensors'), new Uint8Array(8));
    await writeFile(join(bad, 'config.json'), '{"hidden_size": 32,');
    await expect(readCheckpoint(bad)).rejects.toThrow(new RegExp(`${join(bad, 'config.json')}: invalid config JSON`));
    await expect(readCheckpoint(join(bad, 'model.bin'))).rejects.toThrow(/does not exist/);
  });

  it('writes atomically: no temp files remain and an existing file is replaced whole', async () => {
    const path = join(dir, 'atomic', 'file.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, 'replaced');
    expect(await readdir(join(dir, 'atomic'))).toEqual(['file.bin']);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path, 'utf8')).toBe('replaced');
    await expect(writeFileAtomic(join(path, 'under-a-file'), 'x')).rejects.toThrow(/Could not write '.*under-a-file'/);
  });
});
