// The demo's face stage: every video frame goes through BlazeFace on the page's TF.js backend and the face
// tracker (the live box is drawn as frames come); at the model's frame rate the main face is cropped, aligned
// on the eyes, on the backend (no frame readback) and handed to recognition as a model-sized frame.
import * as tf from '@tensorflow/tfjs-core';
import { cropCorners, cropFaces, faceCrop, FaceDetector, FaceTracker, type FaceModelName, type FaceTrack } from '@adatosk/faces';
import type { RawFrame } from '@adatosk/backend-web';

/** What the face stage reports to the page (and to the e2e test). */
export interface FaceStats {
  /** Video frames through detection, and those with a confirmed face. */
  frames: number;
  withFace: number;
  /** Detection + tracking frames per second over the last second. */
  fps: number;
  /** Crops handed to recognition. */
  crops: number;
  /** Confirmed track ids seen. */
  tracks: number[];
  /** The main face's last box, in video pixels. */
  box?: { x: number; y: number; width: number; height: number };
}

export interface FaceStageOptions {
  detector: FaceDetector;
  /** Crops a second of video for recognition (the model's sampling rate). */
  fps: number;
  /**
   * A video file is stepped through at this many frames a second of video (seeking, so every step is
   * processed however slow the backend: the same result everywhere); without it the video plays in real
   * time and detection takes the frames it can (the webcam).
   */
  stepFps?: number;
  /** Model input side. */
  size: number;
  signal: AbortSignal;
  /** Canvas showing the video with the face box. */
  overlay: HTMLCanvasElement;
  onStats?: (s: FaceStats) => void;
}

let loaded: Promise<FaceDetector> | undefined;

/** The page's detector, loaded once on the active backend (the weights ship inside @adatosk/faces). */
export function pageDetector(model: FaceModelName = 'short'): Promise<FaceDetector> {
  loaded ??= FaceDetector.load({ model });
  return loaded;
}

/** Waits for the video's next frame (requestVideoFrameCallback where there is one). */
function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    const v = video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
    if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(() => resolve());
    else requestAnimationFrame(() => resolve());
  });
}

/**
 * The video frame as a tensor on the page's backend. WebGPU imports a video as an external texture (no
 * copy); where the browser cannot (headless Chromium on SwiftShader throws), fall back for good to
 * tfjs's canvas copy.
 */
function framePixels(video: HTMLVideoElement): tf.Tensor3D {
  try {
    return tf.browser.fromPixels(video);
  } catch (err) {
    if (tf.getBackend() !== 'webgpu' || !tf.env().getBool('WEBGPU_IMPORT_EXTERNAL_TEXTURE')) throw err;
    tf.env().set('WEBGPU_IMPORT_EXTERNAL_TEXTURE', false);
    return tf.browser.fromPixels(video);
  }
}

function mainTrack(tracks: FaceTrack[]): FaceTrack | undefined {
  let best: FaceTrack | undefined;
  for (const t of tracks) if (t.confirmed && (!best || t.box.width * t.box.height > best.box.width * best.box.height)) best = t;
  return best;
}

function drawOverlay(canvas: HTMLCanvasElement, video: HTMLVideoElement, tracks: FaceTrack[], main?: FaceTrack): void {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(video, 0, 0, w, h);
  ctx.lineWidth = Math.max(2, w / 320);
  for (const t of tracks) {
    if (!t.confirmed) continue;
    ctx.strokeStyle = t === main ? '#3cb44b' : '#f58231';
    ctx.strokeRect(t.box.x, t.box.y, t.box.width, t.box.height);
    // The crop square recognition sees (turned with the eyes).
    const corners = cropCorners(faceCrop(t.box, t.landmarks));
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    corners.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = ctx.strokeStyle;
    ctx.font = `${Math.round(w / 30)}px system-ui`;
    ctx.fillText(`face ${t.id}`, t.box.x, Math.max(12, t.box.y - 6));
  }
}

/**
 * Face crops of the main face of a playing video (file or webcam) at `fps`, as `size` x `size` RGB frames,
 * until the video ends or `signal` aborts. Frames without a face give no crop. Detection runs on every video
 * frame in its own loop, so the live box keeps up while the model works on a window; crops wait in a queue
 * (at most `maxQueued`, oldest dropped) until recognition takes them.
 */
export async function* faceFrames(video: HTMLVideoElement, o: FaceStageOptions & { maxQueued?: number }): AsyncGenerator<RawFrame> {
  if (video.readyState < 2) {
    await new Promise<void>((resolve, reject) => {
      video.addEventListener('loadeddata', () => resolve(), { once: true });
      video.addEventListener('error', () => reject(new Error(`video failed to load: ${video.error?.message ?? 'unknown error'}`)), {
        once: true,
      });
    });
  }
  await warmUp(video, o);
  if (o.stepFps === undefined && video.paused) await video.play();
  const queue: RawFrame[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const loop = detectLoop(video, o, (crop) => {
    queue.push(crop);
    if (queue.length > (o.maxQueued ?? 64)) queue.shift();
    wake?.();
  })
    .then(
      () => void (finished = true),
      (e) => void ((failure = e), (finished = true)),
    )
    .finally(() => wake?.());
  while (true) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (failure) throw failure;
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  await loop;
}

/**
 * One detection and one crop on the first frame before playing: the backend compiles its programs for this
 * frame size now (WebGPU and WebGL compile per shape), not on the first frames of the video.
 */
async function warmUp(video: HTMLVideoElement, o: FaceStageOptions): Promise<void> {
  const pixels = framePixels(video);
  try {
    await o.detector.detect(pixels);
    const crop = cropFaces(pixels, [{ cx: pixels.shape[1] / 2, cy: pixels.shape[0] / 2, side: pixels.shape[0] / 2, angle: 0.1 }], o.size);
    await crop.data();
    crop.dispose();
  } finally {
    pixels.dispose();
  }
}

function seek(video: HTMLVideoElement, time: number): Promise<void> {
  if (video.seekable.length === 0)
    return Promise.reject(new Error('the video cannot be seeked (a stream, or served without range requests)'));
  return new Promise((resolve, reject) => {
    const onError = () => reject(new Error(`video failed while seeking: ${video.error?.message ?? 'unknown error'}`));
    video.addEventListener('seeked', () => (video.removeEventListener('error', onError), resolve()), { once: true });
    video.addEventListener('error', onError, { once: true });
    video.currentTime = time;
  });
}

/** The frames to process: each step of a file (seeking), or each new frame of a playing video. */
async function* frameTimes(video: HTMLVideoElement, o: FaceStageOptions): AsyncGenerator<number> {
  if (o.stepFps !== undefined) {
    video.pause();
    for (let i = 0; !o.signal.aborted; i++) {
      const t = i / o.stepFps;
      if (t >= video.duration) break;
      if (i > 0) await seek(video, t);
      yield t;
    }
    return;
  }
  while (!video.ended && !o.signal.aborted) {
    await nextFrame(video);
    if (video.ended || o.signal.aborted) break;
    yield video.currentTime;
  }
}

async function detectLoop(video: HTMLVideoElement, o: FaceStageOptions, push: (crop: RawFrame) => void): Promise<void> {
  const tracker = new FaceTracker();
  const stats: FaceStats = { frames: 0, withFace: 0, fps: 0, crops: 0, tracks: [] };
  const recent: number[] = [];
  let nextCrop = 0; // video seconds
  let index = 0;
  for await (const time of frameTimes(video, o)) {
    const now = performance.now();
    const pixels = framePixels(video);
    try {
      const tracks = tracker.update(await o.detector.detect(pixels), index, time);
      index++;
      const main = mainTrack(tracks);
      stats.frames++;
      recent.push(now);
      while (recent.length > 0 && recent[0] < now - 1000) recent.shift();
      stats.fps = recent.length;
      for (const t of tracks) if (t.confirmed && !stats.tracks.includes(t.id)) stats.tracks.push(t.id);
      drawOverlay(o.overlay, video, tracks, main);
      if (main) {
        stats.withFace++;
        stats.box = { ...main.box };
      }
      if (main && time >= nextCrop - 1e-6) {
        nextCrop = Math.max(nextCrop + 1 / o.fps, time);
        const crop = cropFaces(pixels, [faceCrop(main.box, main.landmarks)], o.size);
        const values = await crop.data();
        crop.dispose();
        stats.crops++;
        push({ data: Uint8Array.from(values, (v) => Math.round(v)), width: o.size, height: o.size });
      }
      o.onStats?.(stats);
    } finally {
      pixels.dispose();
    }
  }
}
