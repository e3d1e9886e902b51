// Detection + tracking + crop throughput on 640x480 video frames in Node (decoded beforehand, so ffmpeg's
// decoding, a separate process, is not counted): `npm run bench -w @adatosk/faces -- [short|back] [backend] [frames]`.
// Prints one JSON line: wall-clock frames/s, and CPU-time frames/s (frames per CPU second of this process:
// the rate with a core to itself, the fair number on a shared, loaded machine).
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectDevice } from '@adatosk/backend-node';
import { cropFacesRaw, FaceDetector, FaceTracker, faceCrop, type FaceModelName } from '@adatosk/faces';
import { readVideoFrames, type VideoFrame } from '@adatosk/faces/node';

const [model = 'short', device = 'wasm', count = '150'] = process.argv.slice(2);
await selectDevice(device as 'wasm');
const detector = await FaceDetector.load({ model: model as FaceModelName });
const frames: VideoFrame[] = [];
for (const v of ['face-pan.mp4', 'two-faces.mp4'])
  for await (const f of readVideoFrames(join(process.cwd(), 'test/fixtures', v))) frames.push(f);
const n = Number(count);
const size = 160;
const tracker = new FaceTracker();
const ms = { detect: 0, track: 0, crop: 0 };
let faces = 0;
for (let i = 0; i < 5; i++) await detector.detect(frames[i]);
const load0 = loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const f = frames[i % frames.length];
  let t = performance.now();
  const found = await detector.detect(f);
  ms.detect += performance.now() - t;
  t = performance.now();
  const tracks = tracker.update(found, i, i / 25);
  ms.track += performance.now() - t;
  t = performance.now();
  // Every track, every frame: the most crop work predict or prepare ever does per frame.
  cropFacesRaw(
    f,
    tracks.map((tr) => faceCrop(tr.box, tr.landmarks)),
    size,
  );
  ms.crop += performance.now() - t;
  faces += tracks.length;
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    faces: {
      model,
      backend: tf.getBackend(),
      frames: n,
      frameSize: `${frames[0].width}x${frames[0].height}`,
      cropSize: size,
      facesPerFrame: +(faces / n).toFixed(2),
      framesPerSecond: +(n / wall).toFixed(1),
      cpuBoundFramesPerSecond: +(n / cpuSeconds).toFixed(1),
      msPerFrame: { detect: +(ms.detect / n).toFixed(2), track: +(ms.track / n).toFixed(3), crop: +(ms.crop / n).toFixed(2) },
      cores: cpus().length,
      loadAverage: [load0, loadavg()[0]].map((l) => +l.toFixed(1)),
    },
  }),
);
detector.dispose();
