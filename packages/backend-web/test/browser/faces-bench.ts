/// <reference types="vite/client" />
// Browser speed of the face stage (not a test: numbers, read by debug-faces.ts): detection + tracking +
// crop per 640x480 frame on the backend named by ?device=, frames taken from a canvas as a page takes
// them from a <video> (tf.browser.fromPixels). ?video=URL is drawn once; ?model=short|back; ?n=frames.
import * as tf from '@tensorflow/tfjs-core';
import { cropFaces, faceCrop, FaceDetector, FaceTracker, type FaceModelName } from '@adatosk/faces';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectWebDevice, type WebDevice } from '../../src/index.js';

interface BenchPage {
  device?: string;
  model?: string;
  frames?: number;
  msPerFrame?: number;
  framesPerSecond?: number;
  faces?: number;
  error?: string;
}
const page: BenchPage = {};
(window as unknown as { __faces: BenchPage }).__faces = page;
const params = new URLSearchParams(location.search);

try {
  page.device = (
    await selectWebDevice((params.get('device') ?? 'webgpu') as WebDevice, {
      wasmPaths: {
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
    })
  ).device;
  page.model = params.get('model') ?? 'short';
  const detector = await FaceDetector.load({ model: page.model as FaceModelName });
  const video = document.createElement('video');
  video.muted = true;
  video.src = URL.createObjectURL(await (await fetch(params.get('video') ?? '/faces/face-pan.mp4')).blob());
  await new Promise((r) => video.addEventListener('loadeddata', r, { once: true }));
  // A decoded frame to draw: seek into the clip and wait for it.
  await new Promise((r) => {
    video.addEventListener('seeked', r, { once: true });
    video.currentTime = 0.5;
  });
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  const tracker = new FaceTracker();
  const step = async (i: number) => {
    const pixels = tf.browser.fromPixels(canvas);
    const tracks = tracker.update(await detector.detect(pixels), i, i / 30);
    if (tracks.length > 0) {
      const crop = cropFaces(
        pixels,
        tracks.map((t) => faceCrop(t.box, t.landmarks)),
        160,
      );
      await crop.data();
      crop.dispose();
    }
    pixels.dispose();
    return tracks.length;
  };
  for (let i = 0; i < 3; i++) await step(i);
  const n = Number(params.get('n') ?? 30);
  let faces = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) faces += await step(i + 3);
  const ms = (performance.now() - t0) / n;
  Object.assign(page, { frames: n, msPerFrame: +ms.toFixed(1), framesPerSecond: +(1000 / ms).toFixed(1), faces: faces / n });
} catch (err) {
  page.error = (err as Error).message;
}
document.getElementById('out')!.textContent = JSON.stringify(page);
