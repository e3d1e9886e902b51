// The shipped BlazeFace models on real photographs (WASM): faces found where they are, none on a cup,
// keypoints on the eyes, the same answer from raw bytes and from a tensor, and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector, FACE_MODELS, iou, rawToTensor, type FaceDetection, type FaceModelName } from '../src/index.js';
import { loadImage, useWasm } from './support.js';

const detectors = {} as Record<FaceModelName, FaceDetector>;
beforeAll(async () => {
  await useWasm();
  for (const m of Object.keys(FACE_MODELS) as FaceModelName[]) detectors[m] = await FaceDetector.load({ model: m });
});
afterAll(() => Object.values(detectors).forEach((d) => d.dispose()));

const inside = (p: [number, number], d: FaceDetection) =>
  p[0] > d.box.x && p[0] < d.box.x + d.box.width && p[1] > d.box.y && p[1] < d.box.y + d.box.height;

describe.each(['short', 'back'] as const)('BlazeFace %s', (model) => {
  it('finds the one frontal face, with the eyes level and where the eyes are', async () => {
    const faces = await detectors[model].detect(await loadImage('astronaut.jpg'));
    expect(faces).toHaveLength(1);
    const [f] = faces;
    expect(f.score).toBeGreaterThan(0.85);
    // Eileen Collins' face in the 512x512 picture: about x 175-275, y 75-180 (checked by eye).
    expect(iou(f.box, { x: 175, y: 78, width: 100, height: 100 })).toBeGreaterThan(0.6);
    const { rightEye, leftEye, mouth } = f.landmarks!;
    expect(rightEye[0]).toBeLessThan(leftEye[0]); // the subject's right eye is on the image's left
    expect(Math.abs(rightEye[1] - leftEye[1])).toBeLessThan(15);
    expect(mouth[1]).toBeGreaterThan(rightEye[1] + 20);
    for (const p of [rightEye, leftEye, mouth]) expect(inside(p, f)).toBe(true);
  });

  it('finds a face in profile', async () => {
    const faces = await detectors[model].detect(await loadImage('cameraman.jpg'));
    expect(faces).toHaveLength(1);
    expect(iou(faces[0].box, { x: 180, y: 122, width: 80, height: 80 })).toBeGreaterThan(0.5);
  });

  it('finds both faces of a two-person photo', async () => {
    const faces = await detectors[model].detect(await loadImage('two-faces.jpg'));
    expect(faces.length).toBe(2);
    const xs = faces.map((f) => f.box.x + f.box.width / 2).sort((a, b) => a - b);
    expect(xs[0]).toBeGreaterThan(100);
    expect(xs[0]).toBeLessThan(260);
    expect(xs[1]).toBeGreaterThan(360);
    expect(xs[1]).toBeLessThan(520);
  });

  it('keeps a coffee cup below a face-track score', async () => {
    const faces = await detectors[model].detect(await loadImage('coffee.jpg'));
    expect(faces.every((f) => f.score < 0.7)).toBe(true);
  });
});

describe('FaceDetector', () => {
  it('gives the same faces for raw bytes and for a tensor of the same frame', async () => {
    const image = await loadImage('two-faces.jpg');
    const t = rawToTensor(image);
    const fromTensor = await detectors.short.detect(t);
    t.dispose();
    const fromRaw = await detectors.short.detect(image);
    expect(fromTensor).toHaveLength(fromRaw.length);
    // JS letterboxing averages areas, the tensor path resizes bilinearly: close, not equal.
    fromRaw.forEach((f, i) => expect(iou(f.box, fromTensor[i].box)).toBeGreaterThan(0.85));
  });

  it('letterboxes: a face in a wide frame lands where it is (no squashing)', async () => {
    const face = await loadImage('astronaut.jpg');
    const W = 1200;
    const data = new Uint8Array(W * 512 * 3).fill(90);
    for (let y = 0; y < 512; y++) data.set(face.data.subarray(y * 512 * 3, (y + 1) * 512 * 3), (y * W + 600) * 3);
    const [f] = await detectors.back.detect({ data, width: W, height: 512 }); // the face is 20 px of the 256 px input
    expect(iou(f.box, { x: 775, y: 78, width: 100, height: 100 })).toBeGreaterThan(0.5);
    expect(f.box.width / f.box.height).toBeCloseTo(1, 1);
  });

  it('leaves no tensor behind', async () => {
    const image = await loadImage('astronaut.jpg');
    const t = rawToTensor(image);
    await detectors.back.detect(t);
    await detectors.short.detect(image);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await detectors.back.detect(t);
      await detectors.short.detect(image);
    }
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('names a bad model and a bad score threshold', async () => {
    await expect(FaceDetector.load({ model: 'huge' as FaceModelName })).rejects.toThrow(/unknown model 'huge'.*short, back/);
    await expect(FaceDetector.load({ minScore: 1.5 })).rejects.toThrow(/minScore/);
  });
});
