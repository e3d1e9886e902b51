// `.` is side-effect free; WASM binaries are found from the installed package, with clear errors otherwise.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

describe('@adatosk/backend-node entry', () => {
  it('importing "." registers no backend and sets no navigator.gpu', async () => {
    const before = Object.keys(tf.engine().registryFactory).sort();
    const mod = await import('@adatosk/backend-node');
    expect(typeof mod.selectDevice).toBe('function');
    expect(Object.keys(tf.engine().registryFactory).sort()).toEqual(before);
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  });

  it('wasmDistDir finds the .wasm files; a base that cannot resolve the package says how to fix it', async () => {
    const { wasmDistDir, setupWasm } = await import('@adatosk/backend-node');
    const dir = wasmDistDir();
    expect(dir.endsWith('/')).toBe(true);
    expect(existsSync(`${dir}tfjs-backend-wasm.wasm`)).toBe(true);
    expect(() => wasmDistDir(`${tmpdir()}/`)).toThrow(/Cannot find '@tensorflow\/tfjs-backend-wasm'.*setupWasm\(\{ wasmPaths/);
    await expect(setupWasm({ wasmPaths: '/nowhere' })).rejects.toThrow("setupWasm: '/nowhere/tfjs-backend-wasm.wasm' does not exist");
    expect(await setupWasm({ wasmPaths: `file://${dir}` })).toBe(dir);
  });
});
