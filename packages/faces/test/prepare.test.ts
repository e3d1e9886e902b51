// Raw videos -> face frame folders the loaders read: a MAFW-style copy (data/clips) and a user's
// class-per-folder videos; a clip without a face is skipped and named; an interrupted run resumes.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '@adatosk/datasets';
import { prepareFaceClips, targetOf } from '../src/node/index.js';
import { fixture, useWasm } from './support.js';

let work: string;
beforeAll(async () => {
  await useWasm();
  work = await mkdtemp(join(tmpdir(), 'adatosk-prepare-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('targetOf (where each layout expects frames)', () => {
  it('maps raw videos to the frame folders the loaders read', () => {
    expect(targetOf('mafw', 'data/clips/25.mp4')).toMatchObject({ id: '00025', dir: join('data', 'frames', '00025') });
    expect(targetOf('mafw', 'data/other/25.mp4')).toBeUndefined();
    const dfew = targetOf('dfew', 'Clip/original/2522.mp4')!;
    expect(dfew).toMatchObject({ id: '02522', dir: join('Clip', 'clip_224x224', '02522') });
    expect(dfew.frameName(3)).toBe('02522_00003.jpg');
    expect(targetOf('ferv39k', '2_ClipsforFaceCrop/Action/Sad/0010.mp4')).toMatchObject({ id: '2_ClipsforFaceCrop/Action/Sad/0010' });
    expect(targetOf('folder', 'train/happy/clip one.mov')!.dir).toBe(join('train', 'happy', 'clip one'));
  });
});

describe('prepareFaceClips', () => {
  it('writes the main face of each MAFW raw clip where the MAFW loader reads frames, and names the clip without a face', async () => {
    const root = join(work, 'MAFW');
    const clips = join(root, 'data', 'clips');
    await mkdir(clips, { recursive: true });
    await copyFile(fixture('face-pan.mp4'), join(clips, '00001.mp4'));
    await copyFile(fixture('no-face.mp4'), join(clips, '00002.mp4'));
    await copyFile(fixture('two-faces.mp4'), join(clips, '00003.mp4'));
    const split = join(root, 'Train & Test Set', 'single', 'no_caption', 'set_1');
    await mkdir(split, { recursive: true });
    await writeFile(join(split, 'train.txt'), '00001.mp4 happiness\n00003.mp4 neutral\n');
    await writeFile(join(split, 'test.txt'), '00001.mp4 happiness\n');
    const out = join(work, 'MAFW-faces');
    const seen: string[] = [];
    const report = await prepareFaceClips({ layout: 'mafw', root, out, size: 112, onClip: (r) => seen.push(`${r.id}:${r.status}`) });
    expect(seen).toEqual(['00001:written', '00002:no-face', '00003:written']);
    expect(report).toMatchObject({ clips: 3, written: 2, noFace: [{ id: '00002', video: 'data/clips/00002.mp4' }], failed: [] });
    expect(report.copied.sort()).toEqual([
      'Train & Test Set/single/no_caption/set_1/test.txt',
      'Train & Test Set/single/no_caption/set_1/train.txt',
    ]);
    const frames = (await readdir(join(out, 'data', 'frames', '00001'))).sort();
    expect(frames.length).toBeGreaterThanOrEqual(74); // every frame of the track (from its first detection)
    expect(frames[0]).toBe('00001.jpg');
    const meta = await sharp(join(out, 'data', 'frames', '00001', frames[10])).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([112, 112, 'jpeg']);
    expect(JSON.parse(await readFile(join(out, 'prepare-faces.json'), 'utf8'))).toMatchObject({ written: 2 });
    // The MAFW loader reads the prepared copy from its frames.
    const ds = await createDataset('mafw', { root: out, fold: 1, split: 'train', numFrames: 4, size: 32 });
    expect(ds.length).toBe(2);
    const sample = await ds.load(0, { mode: 'test', view: 0 });
    expect(sample.shape).toEqual([4, 32, 32, 3]);

    // Run again after an interruption: finished clips are kept, a half-written one is redone.
    await rm(join(out, 'data', 'frames', '00003'), { recursive: true });
    await mkdir(join(out, 'data', 'frames', '00003.partial'));
    const again = await prepareFaceClips({ layout: 'mafw', root, out, size: 112 });
    expect(again).toMatchObject({ written: 1, donePreviously: 1 });
    expect((await readdir(join(out, 'data', 'frames'))).sort()).toEqual(['00001', '00003']);
  }, 300_000);

  it('prepares a class-per-folder copy the folder loader reads, and rejects a root without videos', async () => {
    const root = join(work, 'mine');
    await mkdir(join(root, 'happy'), { recursive: true });
    await copyFile(fixture('two-faces.mp4'), join(root, 'happy', 'party.mp4'));
    const out = join(work, 'mine-faces');
    const report = await prepareFaceClips({ layout: 'folder', root, out, size: 64, detector: 'short' });
    expect(report.written).toBe(1);
    const ds = await createDataset('folder', { root: out, numFrames: 4, size: 32 });
    expect(ds.ids).toEqual(['happy/party']);
    await expect(prepareFaceClips({ layout: 'mafw', root, out: join(work, 'x') })).rejects.toThrow(
      /no videos for the mafw layout.*data\/clips/,
    );
  }, 300_000);
});
