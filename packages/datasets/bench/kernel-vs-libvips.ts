// Before/after of the source path, in-process (no workers), on the same synthetic 224 x 224 JPEG clips:
// the former per-frame libvips pipeline (decodeFrame: crop, resize, flip, saturation in sharp, then the
// normalisation table) against the augmentation kernel the datasets load through now. From the repository root:
//   npm run bench:kernel -w @adatosk/datasets -- [clips]
// Prints one JSON line per path: clips/s and CPU ms per clip (all threads of the process).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStream } from '@adatosk/core';
import {
  DEFAULT_AUGMENT,
  decodeFrame,
  drawAugment,
  listFrames,
  normalizationTable,
  normalizeWithTable,
  openList,
  sampleIndices,
  writeBenchClips,
} from '../src/index.js';

const N = Number(process.argv[2] ?? 48);
const T = 16,
  S = 160;
const dir = await mkdtemp(join(tmpdir(), 'adatosk-kernel-bench-'));
try {
  const listFile = await writeBenchClips(dir, { clips: 256, uniqueClips: 16, storedFrames: 48, storedSize: 224 });
  const ds = await openList({ root: dir, listFile, numFrames: T, size: S });
  const libvips = async (i: number, epoch: number) => {
    const e = ds.entries[i]!;
    const files = await listFrames(e.frameDir!, e.id);
    const rng = seedStream(0, 'clip', epoch, i);
    const idx = sampleIndices(files.length, { kind: 'mae-dfer', numFrames: T, stride: 4, testViews: 2 }, 'train', 0, rng);
    const p = drawAugment(DEFAULT_AUGMENT, rng);
    const out = new Float32Array(T * S * S * 3);
    const decoded = new Map<number, Uint8Array>();
    await Promise.all(
      [...new Set(idx)].map(async (k) =>
        decoded.set(
          k,
          await decodeFrame({ kind: 'file', path: files[k]! }, { crop: p.crop, flip: p.flip, size: S, saturation: p.color!.saturation }),
        ),
      ),
    );
    const lut = normalizationTable(p.color);
    idx.forEach((k, t) => normalizeWithTable(decoded.get(k)!, out, t * S * S * 3, lut));
  };
  const kernel = (i: number, epoch: number) => ds.load(i, { mode: 'train', epoch });
  const time = async (name: string, load: (i: number, epoch: number) => Promise<unknown>) => {
    for (let i = 0; i < 8; i++) await load(i, 99);
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < N) await load(next++, 1);
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    const s = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({ name, clipsPerSecond: N / s, cpuMsPerClip: (cpu.user + cpu.system) / 1000 / N, loadAverage: loadavg()[0] }),
    );
  };
  await time('libvips per frame (before)', libvips);
  await time('augmentation kernel (now)', kernel);
} finally {
  await rm(dir, { recursive: true, force: true });
}
