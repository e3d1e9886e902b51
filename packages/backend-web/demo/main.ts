// AdaTosk.js demo: load a checkpoint (?checkpoint=URL) as an AdaTosk model (?model=videomae: the plain
// classifier, no soft mask), pick a device (?device=), then recognise a video file, the webcam or a
// synthetic clip (?synthetic=<label>:<seed> runs one at start, used by the e2e test). Videos and the webcam
// go through face detection and tracking first (faces.ts; ?video=URL runs a video file at start).
import '@adatosk/masks'; // registers the hard/soft mask strategies AdaTosk uses
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { SYNTHETIC_CLASSES, renderSyntheticClip } from '@adatosk/datasets/synthetic';
import {
  loadAdaToskFromUrl,
  loadModelFromUrl,
  recognize,
  selectWebDevice,
  type Frame,
  type RecognitionModel,
  type WebDevice,
  type WindowResult,
} from '@adatosk/backend-web';
import { COLORS, drawChart, drawFrame } from './draw.js';
import type { FaceDetector } from '@adatosk/faces';
import { faceFrames, pageDetector, type FaceStats } from './faces.js';

type Model = RecognitionModel & {
  dispose?: () => void;
  config: RecognitionModel['config'] & { patchSize: number; tubeletSize: number; numClasses: number };
};

/** What the page exposes for automation (the e2e test reads it). */
interface DemoState {
  device?: string;
  model?: string;
  results: WindowResult[];
  done: boolean;
  error?: string;
  /** Face detection and tracking of the last video or webcam run. */
  faces?: FaceStats;
}
const state: DemoState = { results: [], done: false };
(window as unknown as { __adatosk: DemoState }).__adatosk = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const progress = $<HTMLProgressElement>('progress');
const params = new URLSearchParams(location.search);
let model: Model | undefined;
let abort: AbortController | undefined;

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
  if (error) state.error = text;
}

/** What to do when the page has no model yet (instead of empty canvases). */
const NEXT_STEP =
  'No model loaded. Train one with "npx adatosk train" (it writes runs/latest/), then open this page with ' +
  '?checkpoint=/runs/latest/ ("npm run demo -w @adatosk/backend-web" serves the repository\'s runs/ folder there), ' +
  'or paste the URL of a run folder (model.safetensors + config.json) above and press Load.';

/** The frame, chart and probability table are shown once a model is loaded. */
function showResults(visible: boolean): void {
  $('results').hidden = !visible;
  $('probs').hidden = !visible;
}

function classNames(): string[] {
  const n = model?.config.numClasses ?? SYNTHETIC_CLASSES.length;
  return (
    model?.config.labels ?? (n === SYNTHETIC_CLASSES.length ? [...SYNTHETIC_CLASSES] : Array.from({ length: n }, (_, i) => `class ${i}`))
  );
}

function showProbs(r: WindowResult): void {
  const names = classNames();
  $('probs').querySelector('tbody')!.innerHTML = Array.from(
    r.probs,
    (p, k) =>
      `<tr data-class="${k}"><td><span class="swatch" style="background:${COLORS[k % COLORS.length]}"></span>${names[k]}</td><td>${p.toFixed(4)}</td></tr>`,
  ).join('');
  $('legend').innerHTML = names.map((n, k) => `<span class="swatch" style="background:${COLORS[k % COLORS.length]}"></span>${n}`).join('');
}

async function run(
  frames: AsyncIterable<Frame> | Iterable<Frame>,
  stride?: number,
  emptyMessage = () => 'The video was shorter than one window.',
): Promise<void> {
  if (!model) return say(NEXT_STEP, true);
  state.results = [];
  state.done = false;
  const kept: Frame[] = [];
  // Keep a copy of each window's middle frame for drawing (recognize closes ImageBitmaps it is done with).
  async function* tap(): AsyncGenerator<Frame> {
    for await (const f of frames as AsyncIterable<Frame>) {
      kept.push(f instanceof ImageBitmap ? await createImageBitmap(f) : f);
      if (kept.length > 64) {
        const old = kept.shift();
        if (old instanceof ImageBitmap) old.close();
      }
      yield f;
    }
  }
  const count0 = { n: 0 };
  try {
    for await (const r of recognize(tap(), { model, stride })) {
      state.results.push(r);
      count0.n++;
      const middle = Math.floor((r.start + r.end) / 2);
      const frame = kept[kept.length - 1 - Math.max(0, r.end - 1 - middle)] ?? kept[kept.length - 1];
      const tubelet = Math.floor((middle - r.start) / model.config.tubeletSize);
      drawFrame($('frame'), frame, r.softMask, r.maskGrid, tubelet);
      drawChart($('chart'), state.results, classNames());
      showProbs(r);
      say(`Window ${r.index}: ${r.label ?? classNames()[r.top]} (${(r.probs[r.top] * 100).toFixed(1)}%) on ${state.device}`);
    }
    state.done = true;
    if (count0.n === 0) say(emptyMessage(), true);
  } catch (err) {
    say(`Recognition failed: ${(err as Error).message}`, true);
  }
}

async function loadCheckpoint(url: string): Promise<void> {
  model?.dispose?.();
  model = undefined;
  progress.hidden = false;
  say(`Downloading ${url}…`);
  try {
    const onProgress = ({ loaded, total }: { loaded: number; total?: number }) => {
      progress.max = total ?? Math.max(loaded, 1);
      progress.value = loaded;
      say(`Downloading weights: ${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`);
    };
    model = (params.get('model') === 'videomae'
      ? await loadModelFromUrl(url, { onProgress })
      : await loadAdaToskFromUrl(url, { onProgress })) as unknown as Model;
    state.model = url;
    showResults(true);
    say(
      `Loaded ${url}: ${model.config.numFrames} frames of ${model.config.imageSize}px, ${model.config.numClasses} classes, on ${state.device}.`,
    );
  } catch (err) {
    say(`Could not load the checkpoint: ${(err as Error).message}`, true);
  } finally {
    progress.hidden = true;
  }
}

/**
 * Recognition on the faces of a video: the live box on #live, crops to the model. A file is stepped through
 * at `stepFps` (every step processed); the webcam runs in real time.
 */
async function runFaces(video: HTMLVideoElement, signal: AbortSignal, stepFps?: number): Promise<void> {
  if (!model) return say('Load a checkpoint first.', true);
  state.faces = undefined;
  let detector: FaceDetector;
  try {
    detector = await pageDetector();
  } catch (err) {
    return say(`Could not load the face detector: ${(err as Error).message}`, true);
  }
  const onStats = (f: FaceStats) => {
    state.faces = f;
    $('face-status').textContent =
      f.withFace > 0
        ? `Face ${f.tracks.join(', ')}: found in ${f.withFace} of ${f.frames} frames, detection at ${f.fps} frames/s on ${state.device}`
        : `No face yet (${f.frames} frames, detection at ${f.fps} frames/s)`;
  };
  const frames = faceFrames(video, { detector, fps: 8, size: model.config.imageSize, signal, overlay: $('live'), onStats, stepFps });
  await run(frames, undefined, () =>
    state.faces?.withFace ? 'The face was seen for less than one window of frames.' : 'No face found in the video: nothing to recognise.',
  );
}

function syntheticFrames(label: number, seed: number): Frame[] {
  const { numFrames, imageSize } = model!.config;
  const clip = renderSyntheticClip(seed, label, { numFrames, size: imageSize });
  return clip.frames.map((data) => ({ data, width: clip.size, height: clip.size }));
}

async function main(): Promise<void> {
  showResults(false);
  const device = (params.get('device') ?? 'auto') as WebDevice;
  $<HTMLSelectElement>('device').value = device;
  try {
    const picked = await selectWebDevice(device, {
      wasmPaths: {
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
    });
    state.device = picked.device;
    say(`Backend: ${picked.device} (${picked.reason}).`);
  } catch (err) {
    return say((err as Error).message, true);
  }
  $<HTMLSelectElement>('synthetic-class').innerHTML = SYNTHETIC_CLASSES.map((c, i) => `<option value="${i}">${c}</option>`).join('');
  $('device').addEventListener('change', () => {
    params.set('device', $<HTMLSelectElement>('device').value);
    location.search = params.toString();
  });
  $('load').addEventListener('click', () => void loadCheckpoint($<HTMLInputElement>('checkpoint').value));
  $('stop').addEventListener('click', () => abort?.abort());
  $('file').addEventListener('change', () => {
    const file = $<HTMLInputElement>('file').files?.[0];
    if (!file) return;
    if (!model) return say(NEXT_STEP, true);
    abort?.abort();
    abort = new AbortController();
    const video = $<HTMLVideoElement>('video');
    video.srcObject = null;
    video.src = URL.createObjectURL(file);
    void runFaces(video, abort.signal, 25);
  });
  $('webcam').addEventListener('click', async () => {
    if (!model) return say(NEXT_STEP, true);
    abort?.abort();
    abort = new AbortController();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
    abort.signal.addEventListener('abort', () => stream.getTracks().forEach((t) => t.stop()));
    const video = $<HTMLVideoElement>('video');
    video.srcObject = stream;
    void runFaces(video, abort.signal);
  });
  $('synthetic').addEventListener('click', () => {
    if (!model) return say(NEXT_STEP, true);
    const frames = syntheticFrames(
      Number($<HTMLSelectElement>('synthetic-class').value),
      Number($<HTMLInputElement>('synthetic-seed').value),
    );
    void run(frames, model.config.numFrames);
  });
  const url = params.get('checkpoint');
  if (url) {
    $<HTMLInputElement>('checkpoint').value = url;
    await loadCheckpoint(new URL(url, location.href).href);
  } else say(`${status.textContent} ${NEXT_STEP}`);
  const synthetic = params.get('synthetic');
  if (synthetic && model) {
    const [label, seed] = synthetic.split(':').map(Number);
    $<HTMLSelectElement>('synthetic-class').value = String(label);
    $<HTMLInputElement>('synthetic-seed').value = String(seed ?? 0);
    await run(syntheticFrames(label, seed ?? 0), model.config.numFrames);
  }
  const videoUrl = params.get('video');
  if (videoUrl && model) {
    abort = new AbortController();
    const video = $<HTMLVideoElement>('video');
    // Fetched whole, as a file chosen by hand is: stepping seeks, which a server without range requests breaks.
    const response = await fetch(new URL(videoUrl, location.href));
    if (!response.ok) return say(`Could not load the video ${videoUrl}: HTTP ${response.status}`, true);
    video.src = URL.createObjectURL(await response.blob());
    // ?step=N: frames a second of video to step through (default 25).
    await runFaces(video, abort.signal, Number(params.get('step') ?? 25));
  }
}

void main();
