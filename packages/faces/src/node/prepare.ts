// Raw videos -> face-cropped frame folders in the layout the loaders read (MAFW's raw clips, DFEW's
// originals, FERV39K clips, a user's class-per-folder videos). Per clip: detect and track every frame, keep
// the main face (the largest track present in at least half the frames, else the longest), write its aligned
// crops as JPEGs. Clips without a face are skipped and named; clips that fail are counted and named; split
// and label files are copied. A clip's folder appears only when complete (written under a temporary name,
// then renamed), so an interrupted run resumes where it stopped.
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cropFacesRaw } from '../crop/crop.js';
import { faceCrop, type FaceCrop, type FaceCropOptions } from '../crop/geometry.js';
import { FaceDetector } from '../detector/detector.js';
import type { FaceModelName } from '../detector/models.js';
import { FaceTracker, type FaceTrackerOptions } from '../track/tracker.js';
import { FACE_LAYOUTS, relativeTo, targetOf, VIDEO_FILE, type ClipTarget, type FaceLayout } from './layouts.js';
import { readVideoFrames, type VideoFrame } from './video.js';

export interface PrepareFacesOptions {
  layout: FaceLayout;
  /** The dataset root holding the raw videos. */
  root: string;
  /** Output root; gets the same layout with frame folders in place of videos. */
  out: string;
  /** Side of the written crops (default 224, as DFEW's clip_224x224). */
  size?: number;
  detector?: FaceModelName;
  crop?: FaceCropOptions;
  tracker?: FaceTrackerOptions;
  /** JPEG quality (default 90). */
  quality?: number;
  /** Decode frames at most this large (default 1280). */
  maxSide?: number;
  /** Stop after this many clips (a trial run). */
  limit?: number;
  /** Called after each clip. */
  onClip?: (result: ClipResult, done: number, total: number) => void;
  signal?: AbortSignal;
}

export type ClipResult =
  | { id: string; video: string; status: 'written'; frames: number; videoFrames: number; firstFrame: number; faces: number }
  | { id: string; video: string; status: 'done-before' }
  | { id: string; video: string; status: 'no-face'; videoFrames: number }
  | { id: string; video: string; status: 'failed'; message: string };

export interface PrepareFacesReport {
  layout: FaceLayout;
  root: string;
  out: string;
  options: { size: number; detector: FaceModelName; quality: number };
  clips: number;
  written: number;
  /** Prepared by an earlier (interrupted) run and kept. */
  donePreviously: number;
  /** Clips whose video shows no face (nothing written for them). */
  noFace: Array<{ id: string; video: string }>;
  failed: Array<{ id: string; video: string; message: string }>;
  copied: string[];
  seconds: number;
  /** Video frames through detection and tracking per second (the crops' second decode not counted). */
  framesPerSecond: number;
}

const COPY = /\.(txt|csv|tsv|json|xlsx?|md)$/i;

/** Every video the layout reads (with its target) and the split/label files, under `root`. */
export async function findRawClips(
  layout: FaceLayout,
  root: string,
): Promise<{ clips: Array<{ video: string; target: ClipTarget }>; files: string[] }> {
  const clips: Array<{ video: string; target: ClipTarget }> = [];
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path, depth + 1);
      else if (VIDEO_FILE.test(e.name)) {
        const target = targetOf(layout, relativeTo(root, path));
        if (target) clips.push({ video: path, target });
      } else if (COPY.test(e.name)) files.push(path);
    }
  };
  await walk(root, 0);
  return { clips, files };
}

interface Kept {
  key: number;
  confirmed: boolean;
  first: number;
  last: number;
  lastDetected: number;
  areaSum: number;
  regions: FaceCrop[];
}

/** Pass 1 of a clip: its main face's crop square per frame (none when no face was found). */
async function mainFace(
  video: string,
  detector: FaceDetector,
  o: PrepareFacesOptions,
): Promise<{ frames: number; face?: { first: number; regions: FaceCrop[]; faces: number } }> {
  const tracker = new FaceTracker(o.tracker);
  const tracks = new Map<number, Kept>();
  let frames = 0;
  for await (const frame of readVideoFrames(video, { maxSide: o.maxSide, signal: o.signal })) {
    frames++;
    for (const t of tracker.update(await detector.detect(frame), frame.index, frame.time)) {
      let k = tracks.get(t.key);
      if (!k)
        tracks.set(
          t.key,
          (k = { key: t.key, confirmed: false, first: frame.index, last: frame.index, lastDetected: frame.index, areaSum: 0, regions: [] }),
        );
      k.confirmed ||= t.confirmed;
      k.last = frame.index;
      if (t.detected) k.lastDetected = frame.index;
      k.areaSum += t.box.width * t.box.height;
      k.regions.push(faceCrop(t.box, t.landmarks, o.crop));
    }
  }
  const faces = [...tracks.values()]
    .filter((k) => k.confirmed)
    .map((k) => {
      const n = k.lastDetected - k.first + 1; // frames held after the last detection are dropped
      return { ...k, n, regions: k.regions.slice(0, n), area: k.areaSum / k.regions.length };
    });
  if (faces.length === 0) return { frames };
  const long = faces.filter((f) => f.n >= frames / 2);
  const pick = long.length > 0 ? long.reduce((a, b) => (b.area > a.area ? b : a)) : faces.reduce((a, b) => (b.n > a.n ? b : a));
  return { frames, face: { first: pick.first, regions: pick.regions, faces: faces.length } };
}

/** Pass 2 of a clip: decode again, crop the main face, write JPEGs into `dir`. */
async function writeCrops(
  video: string,
  face: { first: number; regions: FaceCrop[] },
  dir: string,
  target: ClipTarget,
  o: PrepareFacesOptions & { size: number; quality: number },
): Promise<number> {
  const sharp = (await import('sharp')).default;
  await mkdir(dir, { recursive: true });
  let written = 0;
  const pending: Promise<unknown>[] = [];
  for await (const frame of readVideoFrames(video, { maxSide: o.maxSide, signal: o.signal }) as AsyncIterable<VideoFrame>) {
    const region = face.regions[frame.index - face.first];
    if (!region) continue;
    const [rgb] = cropFacesRaw(frame, [region], o.size);
    const name = target.frameName(++written);
    pending.push(
      sharp(rgb, { raw: { width: o.size, height: o.size, channels: 3 } })
        .jpeg({ quality: o.quality })
        .toFile(join(dir, name)),
    );
    // libvips encodes on its own threads; keep a few frames in flight, not a whole clip.
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return written;
}

export async function prepareFaceClips(options: PrepareFacesOptions): Promise<PrepareFacesReport> {
  const o = { ...options, size: options.size ?? 224, quality: options.quality ?? 90, detector: options.detector ?? 'short' };
  if (!FACE_LAYOUTS.includes(o.layout))
    throw new Error(`prepareFaceClips: unknown layout '${String(o.layout)}'; use one of ${FACE_LAYOUTS.join(', ')}.`);
  if (!(Number.isInteger(o.size) && o.size >= 16))
    throw new Error(`prepareFaceClips: size must be an integer of at least 16, got ${o.size}.`);
  const rootStat = await stat(o.root).catch(() => null);
  if (!rootStat?.isDirectory()) throw new Error(`prepareFaceClips: root '${o.root}' is not a folder.`);
  const started = performance.now();
  const { clips, files } = await findRawClips(o.layout, o.root);
  if (clips.length === 0) {
    const where = {
      mafw: 'data/clips/<id>.mp4',
      dfew: 'Clip/original/<id>.mp4 or Clip/clip_224x224_avi/<id>.avi',
      ferv39k: '<Scene>/<Emotion>/<NNNN>.mp4',
      folder: '<Class>/<clip>.mp4',
    }[o.layout];
    throw new Error(`prepareFaceClips: no videos for the ${o.layout} layout under '${o.root}' (expected ${where}).`);
  }
  const copied: string[] = [];
  for (const f of files) {
    const rel = relativeTo(o.root, f);
    await mkdir(join(o.out, rel, '..'), { recursive: true });
    await copyFile(f, join(o.out, rel));
    copied.push(rel);
  }
  const detector = await FaceDetector.load({ model: o.detector });
  const report: PrepareFacesReport = {
    layout: o.layout,
    root: o.root,
    out: o.out,
    options: { size: o.size, detector: o.detector, quality: o.quality },
    clips: 0,
    written: 0,
    donePreviously: 0,
    noFace: [],
    failed: [],
    copied,
    seconds: 0,
    framesPerSecond: 0,
  };
  let decoded = 0;
  const todo = o.limit !== undefined ? clips.slice(0, o.limit) : clips;
  try {
    for (const [i, { video, target }] of todo.entries()) {
      if (o.signal?.aborted) break;
      report.clips++;
      const dir = join(o.out, target.dir);
      const rel = relativeTo(o.root, video);
      let result: ClipResult;
      if (
        await stat(dir).then(
          (s) => s.isDirectory(),
          () => false,
        )
      ) {
        result = { id: target.id, video: rel, status: 'done-before' };
        report.donePreviously++;
      } else {
        const partial = `${dir}.partial`;
        try {
          const { frames, face } = await mainFace(video, detector, o);
          decoded += frames;
          if (!face) {
            result = { id: target.id, video: rel, status: 'no-face', videoFrames: frames };
            report.noFace.push({ id: target.id, video: rel });
          } else {
            await rm(partial, { recursive: true, force: true });
            const n = await writeCrops(video, face, partial, target, o);
            await rename(partial, dir);
            result = {
              id: target.id,
              video: rel,
              status: 'written',
              frames: n,
              videoFrames: frames,
              firstFrame: face.first,
              faces: face.faces,
            };
            report.written++;
          }
        } catch (e) {
          if (o.signal?.aborted) break;
          await rm(partial, { recursive: true, force: true });
          result = { id: target.id, video: rel, status: 'failed', message: (e as Error).message };
          report.failed.push({ id: target.id, video: rel, message: (e as Error).message });
        }
      }
      o.onClip?.(result, i + 1, todo.length);
    }
  } finally {
    detector.dispose();
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  report.framesPerSecond = report.seconds > 0 ? Math.round((decoded / report.seconds) * 10) / 10 : 0;
  await writeFile(join(o.out, 'prepare-faces.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}
