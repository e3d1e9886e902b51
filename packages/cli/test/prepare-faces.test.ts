// `adatosk datasets prepare <name|folder> <root> --faces --out <dir>` through main(): face frames from a
// folder of videos, the clip without a face named, and clear errors for bad usage.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureIo } from '../src/io.js';
import { runPrepareFaces } from '../src/commands/datasets/prepare-faces.js';
import { main } from '../src/main.js';

const FIXTURES = fileURLToPath(new URL('../../faces/test/fixtures/', import.meta.url));
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'adatosk-prepare-cli-'));
  await mkdir(join(work, 'videos', 'happy'), { recursive: true });
  await mkdir(join(work, 'videos', 'calm'), { recursive: true });
  await copyFile(join(FIXTURES, 'face-pan.mp4'), join(work, 'videos', 'happy', 'astronaut.mp4'));
  await copyFile(join(FIXTURES, 'no-face.mp4'), join(work, 'videos', 'calm', 'coffee.mp4'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('adatosk datasets prepare --faces', () => {
  it('crops the faces of a folder of videos into frame folders and names the clip without a face', async () => {
    const out = join(work, 'faces');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
    let code: number;
    try {
      code = await main([
        'datasets',
        'prepare',
        'folder',
        join(work, 'videos'),
        '--faces',
        '--out',
        out,
        '--size',
        '96',
        '--backend',
        'wasm',
      ]);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    expect(code).toBe(0);
    expect(stdout.join('')).toMatch(/1 clips written, 0 prepared before, 1 without a face, 0 failed \(of 2\)/);
    expect(stdout.join('')).toMatch(/no face: calm\/coffee \(calm\/coffee\.mp4\)/);
    expect(stderr.join('')).toMatch(/\[2\/2\] happy\/astronaut: \d+ face frames of 75/);
    expect((await readdir(join(out, 'happy', 'astronaut'))).length).toBeGreaterThanOrEqual(74);
  }, 300_000);

  it('says what is wrong with the arguments', async () => {
    const io = captureIo();
    await expect(runPrepareFaces({ name: 'folder', root: join(work, 'videos'), out: join(work, 'o'), io })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/add --faces/),
    });
    await expect(runPrepareFaces({ name: 'celeba', root: join(work, 'videos'), out: join(work, 'o'), faces: true, io })).rejects.toThrow(
      /unknown dataset 'celeba'; use one of mafw, dfew, ferv39k, folder/,
    );
    await expect(runPrepareFaces({ name: 'mafw', root: join(work, 'missing'), out: join(work, 'o'), faces: true, io })).rejects.toThrow(
      /root .*missing' does not exist/,
    );
    await expect(runPrepareFaces({ name: 'folder', root: join(work, 'videos'), faces: true, io })).rejects.toThrow(/--out/);
  });
});
