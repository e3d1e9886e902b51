// Lays synthetic clips out on disk exactly like real DFEW, FERV39K and MAFW copies (split files in the
// official formats, folder spellings, nesting, frame naming, videos), so the loaders can be tested end to
// end without the licensed data. Node only (sharp, ffmpeg).
import { mixSeed, seedStream, type Rng } from '@adatosk/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeVideo } from '../io/video.js';
import { DFEW_CLASSES, FERV39K_SCENES, MAFW_CLASSES_MAE_DFER } from '../sets/classes.js';
import { SYNTHETIC_CLASSES } from '../synthetic/classes.js';
import { renderSyntheticClip } from '../synthetic/generator.js';
import { type FrameFormat, writeFrame } from './frames.js';

export interface LayoutClip {
  id: string;
  /** 0-based label in the dataset's default class order (for compound MAFW clips: the single class it was rendered as). */
  label: number;
  /** Label as written in the split file. */
  written: string;
  /** 1-based test fold (DFEW/MAFW) or the split (FERV39K). */
  testFold?: number;
  split?: 'train' | 'test';
  numFrames: number;
  apexFrames: number[];
}

export interface LayoutManifest {
  /** The folder to pass as `root` (the top of what was written, above any nesting). */
  root: string;
  /** The dataset's own root (inside nesting). */
  datasetRoot: string;
  clips: LayoutClip[];
}

interface CommonLayoutOptions {
  /** Clips per class (default 2). */
  clipsPerClass?: number;
  /** Frames per stored clip, or a [min, max] range (default [10, 24]). */
  numFrames?: number | [number, number];
  /** Stored frame size (default 32). */
  size?: number;
  seed?: number;
  /** Folders between `dir` and the dataset's own root, as unzipping often adds (default none). */
  nesting?: string[];
  /** Leave the last line of split files without a newline (as in several real lists). */
  noTrailingNewline?: boolean;
}

async function renderAll<T>(items: T[], fn: (item: T) => Promise<void>, concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function frameCount(rng: Rng, n: CommonLayoutOptions['numFrames']): number {
  const [lo, hi] = Array.isArray(n) ? n : [n ?? 10, n ?? 24];
  return lo + rng.int(hi - lo + 1);
}

async function writeText(path: string, lines: string[], noTrailingNewline?: boolean): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, lines.join('\n') + (noTrailingNewline || lines.length === 0 ? '' : '\n'));
}

/** Synthetic frames of one clip (labels follow SYNTHETIC_CLASSES = the DFEW order). */
function clipFrames(seed: number, syntheticLabel: number, frames: number, size: number) {
  return renderSyntheticClip(seed, syntheticLabel, { numFrames: frames, size, clutter: 3 });
}

async function writeClip(
  frames: Uint8Array[],
  size: number,
  target: { dir?: string; name: (k: number) => string; format: FrameFormat; video?: string },
): Promise<void> {
  if (target.dir) {
    const dir = target.dir;
    await Promise.all(frames.map((f, k) => writeFrame(join(dir, target.name(k)), f, size, size, target.format)));
  }
  if (target.video) {
    await mkdir(join(target.video, '..'), { recursive: true });
    await encodeVideo(target.video, frames, size, size);
  }
}

// ---------------------------------------------------------------- DFEW

export interface DfewLayoutOptions extends CommonLayoutOptions {
  /** `hyphen`: `train(single-labeled)` (code); `underscore`: `train(single_labeled)` (README). Default hyphen. */
  spelling?: 'hyphen' | 'underscore';
  /** Frame folders: `clip_224x224` (`<id>_<frame5>.jpg`), `clip_224x224_16f` (`1.jpg`..), or none. Default clip_224x224. */
  frames?: 'clip_224x224' | 'clip_224x224_16f' | 'none';
  /** An extra folder between clip_224x224 and the clip folders (e.g. `clip_224`). */
  frameNesting?: string;
  /** Write Clip/original/<id>.mp4 videos: unpadded stems (`2522.mp4`, as on real copies) or padded. Default none. */
  videos?: 'none' | 'unpadded' | 'padded';
  /** Write `02522` instead of `2522` in the CSV (both occur). Default false. */
  paddedCsvIds?: boolean;
  format?: FrameFormat;
}

/** Writes a DFEW-shaped copy: 5 folds whose test sets partition the clips. */
export async function writeDfewLayout(dir: string, options: DfewLayoutOptions = {}): Promise<LayoutManifest> {
  const o = {
    clipsPerClass: 2,
    size: 32,
    seed: 0,
    nesting: [],
    spelling: 'hyphen',
    frames: 'clip_224x224',
    videos: 'none',
    format: 'jpg' as FrameFormat,
    ...options,
  };
  const root = join(dir, ...o.nesting);
  const rng = seedStream(o.seed, 'dfew-layout');
  const ids = new Set<number>();
  const clips: LayoutClip[] = [];
  for (let c = 0; c < DFEW_CLASSES.length; c++) {
    for (let k = 0; k < o.clipsPerClass; k++) {
      let id: number;
      do id = 1 + rng.int(16372);
      while (ids.has(id));
      ids.add(id);
      clips.push({
        id: String(id).padStart(5, '0'),
        label: c,
        written: String(c + 1),
        testFold: 1 + (clips.length % 5),
        numFrames: frameCount(rng, o.numFrames),
        apexFrames: [],
      });
    }
  }
  await renderAll(clips, async (clip) => {
    const r = clipFrames(mixSeed(o.seed, 'clip', clip.id), clip.label, clip.numFrames, o.size);
    clip.apexFrames = r.apexFrames;
    const frameDir = o.frames === 'none' ? undefined : join(root, 'Clip', o.frames, ...(o.frameNesting ? [o.frameNesting] : []), clip.id);
    const name =
      o.frames === 'clip_224x224_16f'
        ? (k: number) => `${k + 1}.${o.format}`
        : (k: number) => `${clip.id}_${String(k + 1).padStart(5, '0')}.${o.format}`;
    const video =
      o.videos === 'none'
        ? undefined
        : join(root, 'Clip', 'original', `${o.videos === 'unpadded' ? String(Number(clip.id)) : clip.id}.mp4`);
    await writeClip(r.frames, o.size, { dir: frameDir, name, format: o.format, video });
  });
  const spelled = (split: string) => (o.spelling === 'hyphen' ? `${split}(single-labeled)` : `${split}(single_labeled)`);
  for (let fold = 1; fold <= 5; fold++) {
    for (const split of ['train', 'test'] as const) {
      const rows = clips.filter((c) => (split === 'test') === (c.testFold === fold));
      const lines = ['video_name,label', ...rows.map((c) => `${o.paddedCsvIds ? c.id : Number(c.id)},${c.written}`)];
      await writeText(join(root, 'EmoLabel_DataSplit', spelled(split), `set_${fold}.csv`), lines, o.noTrailingNewline);
    }
  }
  return { root: dir, datasetRoot: root, clips };
}

// ---------------------------------------------------------------- FERV39K

export interface Ferv39kLayoutOptions extends CommonLayoutOptions {
  /** Extra folders inside the face folder, e.g. ['2_ClipsforFaceCrop'] for 2_ClipsforFaceCrop/2_ClipsforFaceCrop/. */
  faceNesting?: string[];
  /** Name of the face folder (default 2_ClipsforFaceCrop; real copies also have e.g. 2_ClipsforFaceCrop-002). */
  faceFolder?: string;
  /** Fraction of clips in the test split (default 0.3). */
  testFraction?: number;
  format?: FrameFormat;
}

export async function writeFerv39kLayout(dir: string, options: Ferv39kLayoutOptions = {}): Promise<LayoutManifest> {
  const o = {
    clipsPerClass: 2,
    size: 32,
    seed: 0,
    nesting: [],
    faceNesting: [],
    faceFolder: '2_ClipsforFaceCrop',
    testFraction: 0.3,
    format: 'jpg' as FrameFormat,
    ...options,
  };
  const root = join(dir, ...o.nesting);
  const rng = seedStream(o.seed, 'ferv39k-layout');
  const clips: LayoutClip[] = [];
  const used = new Set<string>();
  for (let c = 0; c < DFEW_CLASSES.length; c++) {
    for (let k = 0; k < o.clipsPerClass; k++) {
      let id: string;
      do id = `${FERV39K_SCENES[rng.int(FERV39K_SCENES.length)]}/${DFEW_CLASSES[c]}/${String(rng.int(906)).padStart(4, '0')}`;
      while (used.has(id));
      used.add(id);
      // Every class in both splits: first clip test, second train, the rest by testFraction.
      const split = k === 0 ? 'test' : k === 1 ? 'train' : rng.float() < o.testFraction ? 'test' : 'train';
      clips.push({ id, label: c, written: DFEW_CLASSES[c]!, split, numFrames: frameCount(rng, o.numFrames), apexFrames: [] });
    }
  }
  const faceRoot = join(root, o.faceFolder, ...o.faceNesting);
  await renderAll(clips, async (clip) => {
    const r = clipFrames(mixSeed(o.seed, 'clip', clip.id), clip.label, clip.numFrames, o.size);
    clip.apexFrames = r.apexFrames;
    await writeClip(r.frames, o.size, {
      dir: join(faceRoot, clip.id),
      name: (k) => `${String(k + 1).padStart(2, '0')}.${o.format}`,
      format: o.format,
    });
  });
  for (const split of ['train', 'test'] as const) {
    const lines = clips.filter((c) => c.split === split).map((c) => `${c.id} ${c.written}`);
    await writeText(join(root, '4_setups', 'All_scenes', `${split}_All.csv`), lines, o.noTrailingNewline);
  }
  return { root: dir, datasetRoot: root, clips };
}

// ---------------------------------------------------------------- MAFW

export interface MafwLayoutOptions extends CommonLayoutOptions {
  /** Name of the split folder (default `Train & Test Set`). */
  splitFolder?: string;
  /** Write data/frames/<id>/<NNNN>.png (default true). */
  frames?: boolean;
  /** Write data/clips/<id>.mp4 (default false). */
  videos?: boolean;
  /** Write with_caption lists with GB18030 Chinese captions (not valid UTF-8), and compound lists. Default true. */
  extras?: boolean;
  format?: FrameFormat;
}

// "你好" in GB18030: a caption that is not valid UTF-8, as in the real with_caption lists.
const GB18030_NIHAO = Uint8Array.from([0xc4, 0xe3, 0xba, 0xc3]);
// The synthetic generator draws the 7 DFEW classes; MAFW words for them.
const DFEW_TO_MAFW = ['happiness', 'sadness', 'neutral', 'anger', 'surprise', 'disgust', 'fear'];

export async function writeMafwLayout(dir: string, options: MafwLayoutOptions = {}): Promise<LayoutManifest> {
  const o = {
    clipsPerClass: 2,
    size: 32,
    seed: 0,
    nesting: [],
    splitFolder: 'Train & Test Set',
    frames: true,
    videos: false,
    extras: true,
    format: 'png' as FrameFormat,
    ...options,
  };
  const root = join(dir, ...o.nesting);
  const rng = seedStream(o.seed, 'mafw-layout');
  const clips: LayoutClip[] = [];
  const ids = new Set<number>();
  for (let c = 0; c < SYNTHETIC_CLASSES.length; c++) {
    for (let k = 0; k < o.clipsPerClass; k++) {
      let id: number;
      do id = 19 + rng.int(20080);
      while (ids.has(id));
      ids.add(id);
      const word = DFEW_TO_MAFW[c]!;
      clips.push({
        id: String(id).padStart(5, '0'),
        label: MAFW_CLASSES_MAE_DFER.indexOf(word as never),
        written: word,
        testFold: 1 + (clips.length % 5),
        numFrames: frameCount(rng, o.numFrames),
        apexFrames: [],
      });
    }
  }
  await renderAll(clips, async (clip) => {
    const r = clipFrames(mixSeed(o.seed, 'clip', clip.id), DFEW_TO_MAFW.indexOf(clip.written), clip.numFrames, o.size);
    clip.apexFrames = r.apexFrames;
    await writeClip(r.frames, o.size, {
      dir: o.frames ? join(root, 'data', 'frames', clip.id) : undefined,
      name: (k) => `${String(k).padStart(4, '0')}.${o.format}`,
      format: o.format,
      video: o.videos ? join(root, 'data', 'clips', `${clip.id}.mp4`) : undefined,
    });
  });
  const splitRoot = join(root, o.splitFolder);
  for (let fold = 1; fold <= 5; fold++) {
    for (const split of ['train', 'test'] as const) {
      const rows = clips.filter((c) => (split === 'test') === (c.testFold === fold));
      await writeText(
        join(splitRoot, 'single', 'no_caption', `set_${fold}`, `${split}.txt`),
        rows.map((c) => `${c.id}.mp4 ${c.written}`),
        o.noTrailingNewline,
      );
      if (!o.extras) continue;
      // Compound lists: every third clip gets a two-word label.
      await writeText(
        join(splitRoot, 'compound', 'no_caption', `set_${fold}`, `${split}.txt`),
        rows.map((c, i) => `${c.id}.mp4 ${i % 3 === 0 && c.written !== 'neutral' ? `${c.written}_anxiety` : c.written}`),
        o.noTrailingNewline,
      );
      const captioned = rows.filter((c) => c.written !== 'neutral');
      const parts: Uint8Array[] = [];
      for (const c of captioned) {
        parts.push(
          new TextEncoder().encode(`${c.id}.mp4\t${c.written}\t`),
          GB18030_NIHAO,
          new TextEncoder().encode(`\tA face shows ${c.written}.\n`),
        );
      }
      const file = join(splitRoot, 'single', 'with_caption', `set_${fold}`, `${split}.txt`);
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, Buffer.concat(parts));
    }
  }
  return { root: dir, datasetRoot: root, clips };
}
