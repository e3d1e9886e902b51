// Real-face videos end to end in Node: ffmpeg frames at their own size, frame folders in number order,
// and detection + tracking + crops giving one track per person (none for the cup).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector, trackFaces, type TrackedFrame } from '../src/index.js';
import { probeVideo, readFrameFolder, readVideoFrames, type VideoFrame } from '../src/node/index.js';
import { fixture, useWasm } from './support.js';

let detector: FaceDetector;
let work: string;
beforeAll(async () => {
  await useWasm();
  detector = await FaceDetector.load();
  work = await mkdtemp(join(tmpdir(), 'adatosk-faces-'));
});
afterAll(async () => {
  detector?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* timed(frames: AsyncIterable<VideoFrame>) {
  for await (const f of frames) yield { image: f, index: f.index, time: f.time };
}

describe('video and frame-folder readers', () => {
  it('reads every frame of an H.264 video at its size, with times from its frame rate', async () => {
    expect(await probeVideo(fixture('face-pan.mp4'))).toMatchObject({ fps: 25, duration: 3 });
    const frames = await all(readVideoFrames(fixture('face-pan.mp4')));
    expect(frames).toHaveLength(75);
    expect(frames.every((f) => f.width === 640 && f.height === 480 && f.data.length === 640 * 480 * 3)).toBe(true);
    expect(frames[74]).toMatchObject({ index: 74, time: 74 / 25 });
    expect(frames[0].data).not.toEqual(frames[74].data);
  });

  it('scales a large video down to maxSide, keeping its aspect ratio, and stops ffmpeg when the reader stops', async () => {
    const frames: VideoFrame[] = [];
    for await (const f of readVideoFrames(fixture('two-faces.mp4'), { maxSide: 320 })) {
      frames.push(f);
      if (frames.length === 3) break;
    }
    expect(frames.map((f) => [f.width, f.height])).toEqual([
      [320, 240],
      [320, 240],
      [320, 240],
    ]);
  });

  it('names a file ffmpeg cannot read', async () => {
    const bad = join(work, 'broken.mp4');
    await writeFile(bad, 'not a video');
    await expect(all(readVideoFrames(bad))).rejects.toThrow(/broken\.mp4/);
  });

  it('reads a frame folder in frame-number order', async () => {
    const dir = join(work, 'frames');
    const frames = await all(readVideoFrames(fixture('face-pan.mp4')));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    for (const i of [0, 1, 2, 9, 10]) {
      await sharp(frames[i * 7].data, { raw: { width: 640, height: 480, channels: 3 } })
        .png()
        .toFile(join(dir, `frame_${i + 1}.png`));
    }
    const read = await all(readFrameFolder(dir, { fps: 10 }));
    expect(read.map((f) => f.time)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(Buffer.from(read[4].data).equals(Buffer.from(frames[70].data))).toBe(true); // frame_11 after frame_3
  });
});

describe('trackFaces on real-face videos', () => {
  const run = async (name: string): Promise<TrackedFrame[]> =>
    all(trackFaces(timed(readVideoFrames(fixture(name))), { detector, cropSize: 112, cropWhen: (i) => i % 4 === 0 }));

  it('follows the one face of a panning, zooming shot as one track, with crops every 4th frame', async () => {
    const before = tf.memory().numTensors;
    const frames = await run('face-pan.mp4');
    expect(tf.memory().numTensors).toBe(before);
    const ids = new Set(frames.flatMap((f) => f.faces.filter((t) => t.confirmed).map((t) => t.id)));
    expect([...ids]).toEqual([1]);
    expect(frames.filter((f) => f.faces.some((t) => t.confirmed)).length).toBeGreaterThanOrEqual(73); // all but the first
    const cropped = frames.filter((f) => f.faces[0]?.crop);
    expect(cropped.map((f) => f.index)).toEqual(Array.from({ length: 19 }, (_, i) => i * 4));
    expect(cropped[0].faces[0].crop).toHaveLength(112 * 112 * 3);
    // The camera pans right and down: the face moves left and up in the frame.
    const first = frames[2].faces[0].box;
    const last = frames[74].faces[0].box;
    expect(last.x).toBeLessThan(first.x - 80);
    expect(last.y).toBeLessThan(first.y - 50);
  });

  it('keeps two people apart as two tracks', async () => {
    const frames = await run('two-faces.mp4');
    const ids = new Set(frames.flatMap((f) => f.faces.filter((t) => t.confirmed).map((t) => t.id)));
    expect([...ids].sort()).toEqual([1, 2]);
  });

  it('finds no face track in a video without a face', async () => {
    const frames = await run('no-face.mp4');
    expect(frames).toHaveLength(50);
    expect(frames.some((f) => f.faces.some((t) => t.confirmed))).toBe(false);
  });
});
