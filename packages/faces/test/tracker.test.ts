// Face tracks from per-frame detections (pure JS): identity through motion and gaps, birth and death,
// smoothing of jitter without lag on steady motion, and the score gate that keeps face-like things out.
import { describe, expect, it } from 'vitest';
import { FaceTracker, OneEuroFilter, type FaceDetection } from '../src/index.js';

const det = (x: number, y: number, size = 100, score = 0.9): FaceDetection => ({ box: { x, y, width: size, height: size }, score });

describe('FaceTracker', () => {
  it('keeps one id for a moving face and another for a second face', () => {
    const tr = new FaceTracker();
    let tracks = tr.update([det(0, 0), det(400, 0)], 0, 0);
    expect(tracks.every((t) => !t.confirmed && t.id === 0)).toBe(true);
    for (let f = 1; f < 30; f++) tracks = tr.update([det(400 - f, 2 * f), det(5 * f, 0)], f, f / 25);
    expect(tracks).toHaveLength(2);
    const byX = [...tracks].sort((a, b) => a.box.x - b.box.x);
    expect(byX.map((t) => t.id).sort()).toEqual([1, 2]);
    expect(new Set(tracks.map((t) => t.key)).size).toBe(2);
    // The right face moved left, the left one right; each kept its id.
    const first = tracks.find((t) => t.firstFrame === 0 && t.box.x > 100 && t.box.x < 200)!;
    expect(first.hits).toBe(30);
  });

  it('holds a track through a short gap, ends it after maxMisses, and gives a new face a new id', () => {
    const tr = new FaceTracker({ maxMisses: 3 });
    for (let f = 0; f < 5; f++) tr.update([det(100, 100)], f, f / 25);
    let tracks = tr.update([], 5, 5 / 25);
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ id: 1, detected: false, misses: 1 });
    tracks = tr.update([det(102, 101)], 6, 6 / 25);
    expect(tracks[0]).toMatchObject({ id: 1, detected: true, misses: 0 });
    for (let f = 7; f <= 10; f++) tracks = tr.update([], f, f / 25);
    expect(tracks).toHaveLength(0);
    tr.update([det(100, 100)], 11, 11 / 25);
    tracks = tr.update([det(100, 100)], 12, 12 / 25);
    expect(tracks[0].id).toBe(2);
  });

  it('never confirms a face-like thing that scores around 0.5, but keeps a real face that dips', () => {
    const tr = new FaceTracker();
    let tracks = tr.update([det(0, 0, 100, 0.55), det(300, 0, 100, 0.95)], 0, 0);
    for (let f = 1; f < 20; f++) tracks = tr.update([det(0, 0, 100, 0.6), det(300, 0, 100, f > 10 ? 0.55 : 0.95)], f, f / 25);
    const confirmed = tracks.filter((t) => t.confirmed);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0].box.x).toBeGreaterThan(250);
  });

  it('drops an unconfirmed track at its first miss', () => {
    const tr = new FaceTracker({ minHits: 3 });
    tr.update([det(0, 0)], 0, 0);
    expect(tr.update([], 1, 0.04)).toHaveLength(0);
  });

  it('smooths jitter of a still face and follows steady motion with little lag', () => {
    const jitter = new FaceTracker();
    const xs: number[] = [];
    for (let f = 0; f < 60; f++) {
      const noise = (f % 2 === 0 ? 1 : -1) * 6;
      xs.push(jitter.update([det(200 + noise, 200)], f, f / 30)[0].box.x);
    }
    const tail = xs.slice(30);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(4); // raw detections swing by 12 px

    const moving = new FaceTracker();
    let x = 0;
    for (let f = 0; f < 60; f++) x = moving.update([det(10 * f, 0)], f, f / 30)[0].box.x;
    expect(590 - x).toBeLessThan(25); // 300 px/s (3 face sizes a second): lag under 1/12 s
  });

  it('rejects bad options', () => {
    expect(() => new FaceTracker({ minHits: 0 })).toThrow(/minHits/);
    expect(() => new FaceTracker({ maxMisses: -1 })).toThrow(/maxMisses/);
  });
});

describe('OneEuroFilter', () => {
  it('passes the first value and a constant through unchanged', () => {
    const f = new OneEuroFilter();
    expect(f.filter(5, 0)).toBe(5);
    for (let i = 1; i < 10; i++) expect(f.filter(5, i / 30)).toBeCloseTo(5, 10);
  });
});
