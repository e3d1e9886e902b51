// Crop geometry (square, margin, eye alignment) and the two crop paths, tensor (tf.image.transform on the
// backend) and raw bytes (JS), which must agree.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cropCorners,
  cropFaces,
  cropFacesRaw,
  cropFacesToBytes,
  faceCrop,
  FaceDetector,
  rawToTensor,
  type FaceLandmarks,
} from '../src/index.js';
import { loadImage, useWasm } from './support.js';

beforeAll(useWasm);

const box = { x: 100, y: 100, width: 80, height: 100 };
const eyes = (dy: number): FaceLandmarks => ({
  rightEye: [120, 130],
  leftEye: [160, 130 + dy],
  noseTip: [140, 150],
  mouth: [140, 170],
  rightEar: [100, 140],
  leftEar: [180, 140],
});

describe('faceCrop', () => {
  it('is a square around the box, scaled by the margin, moved slightly up', () => {
    const c = faceCrop(box, undefined, { scale: 1.5 });
    expect(c.side).toBe(150);
    expect(c.angle).toBe(0);
    expect(c.cx).toBe(140);
    expect(c.cy).toBeCloseTo(150 - 5, 6);
  });

  it('turns with the eye line, and not for a profile (eyes together) or a wild tilt', () => {
    expect(faceCrop(box, eyes(30)).angle).toBeCloseTo(Math.atan2(30, 40), 6);
    expect(faceCrop(box, eyes(40), { maxAngleDegrees: 50 }).angle).toBeCloseTo(Math.PI / 4, 6);
    expect(faceCrop(box, eyes(10)).angle).toBeCloseTo(Math.atan2(10, 40), 6);
    expect(faceCrop(box, eyes(10), { align: false }).angle).toBe(0);
    expect(faceCrop(box, { ...eyes(0), leftEye: [125, 131] }).angle).toBe(0);
    expect(faceCrop(box, eyes(80)).angle).toBe(0);
  });

  it('has corners at the right distance, turned', () => {
    const c = faceCrop(box, eyes(40), { scale: 1, maxAngleDegrees: 50 });
    const [tl, tr] = cropCorners(c);
    expect(Math.hypot(tr[0] - tl[0], tr[1] - tl[1])).toBeCloseTo(100, 6);
    expect(Math.atan2(tr[1] - tl[1], tr[0] - tl[0])).toBeCloseTo(Math.PI / 4, 6);
  });
});

describe('cropping', () => {
  it('cuts the same crop from a tensor (backend) and from raw bytes (JS), also past the frame edge', async () => {
    const image = await loadImage('astronaut.jpg');
    const crops = [faceCrop({ x: 175, y: 78, width: 100, height: 100 }, eyes(12)), { cx: 20, cy: 500, side: 120, angle: 0.3 }];
    const t = rawToTensor(image);
    const fromTensor = await cropFacesToBytes(t, crops, 64);
    t.dispose();
    const fromRaw = cropFacesRaw(image, crops, 64);
    for (let i = 0; i < crops.length; i++) {
      let worst = 0;
      for (let j = 0; j < fromRaw[i].length; j++) worst = Math.max(worst, Math.abs(fromRaw[i][j] - fromTensor[i][j]));
      expect(worst).toBeLessThanOrEqual(1);
    }
    // The second crop hangs off the bottom-left corner: black there.
    expect(fromRaw[1][(63 * 64 + 0) * 3]).toBe(0);
  });

  it('crops an aligned, centred face from a real photo (eyes level, in the upper half)', async () => {
    const image = await loadImage('astronaut.jpg');
    const detector = await FaceDetector.load({ model: 'back' });
    const [face] = await detector.detect(image);
    detector.dispose();
    const region = faceCrop(face.box, face.landmarks);
    const size = 160;
    // Where the eyes land in the crop: map them through the inverse of the crop transform.
    const toCrop = ([x, y]: [number, number]) => {
      const dx = x - region.cx;
      const dy = y - region.cy;
      const c = Math.cos(-region.angle);
      const s = Math.sin(-region.angle);
      return [((c * dx - s * dy) / region.side + 0.5) * size, ((s * dx + c * dy) / region.side + 0.5) * size];
    };
    const r = toCrop(face.landmarks!.rightEye);
    const l = toCrop(face.landmarks!.leftEye);
    expect(Math.abs(r[1] - l[1])).toBeLessThan(0.5);
    expect(r[1]).toBeGreaterThan(size * 0.3);
    expect(r[1]).toBeLessThan(size * 0.5);
    expect((r[0] + l[0]) / 2).toBeGreaterThan(size * 0.4);
    expect((r[0] + l[0]) / 2).toBeLessThan(size * 0.6);
    const [crop] = cropFacesRaw(image, [region], size);
    expect(crop).toHaveLength(size * size * 3);
  });

  it('leaves no tensor behind and rejects a bad size', async () => {
    const t = tf.zeros([40, 60, 3], 'int32') as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const out = cropFaces(
      t,
      [
        { cx: 30, cy: 20, side: 20, angle: 0.1 },
        { cx: 10, cy: 10, side: 30, angle: 0 },
      ],
      16,
    );
    expect(out.shape).toEqual([2, 16, 16, 3]);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => cropFaces(t, [], 0)).toThrow(/positive integer/);
    t.dispose();
  });
});
