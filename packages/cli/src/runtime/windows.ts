// Pass 2 of `adatosk predict`: the chosen tracks' crops, taken every `frameStride`-th frame of each track,
// grouped into sliding windows of `numFrames` crops (`hop` crops apart) as the frames stream by. A track
// shorter than one window gives one window of all its crops, padded with its last (as the DFER loaders pad
// short clips).
import { IMAGENET_MEAN, IMAGENET_STD } from '@adatosk/core';
import { cropFacesRaw } from '@adatosk/faces';
import type { FaceTimeline } from './faces.js';
import type { FrameSource } from './frames.js';

export interface WindowOptions {
  numFrames: number;
  imageSize: number;
  /** Source frames between two crops of a window. */
  frameStride: number;
  /** Crops between the starts of two windows. */
  hop: number;
}

export interface FaceWindow {
  track: FaceTimeline;
  index: number;
  /** Source frames sampled, in order (repeated where padded). */
  frames: number[];
  /** `[numFrames, imageSize, imageSize, 3]`, ImageNet-normalised. */
  clip: Float32Array;
}

function normalise(rgb: Uint8Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < rgb.length; i++) {
    const c = i % 3;
    out[offset + i] = (rgb[i] / 255 - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
  }
}

/** Streams the windows of `tracks` over one pass of `source`. */
export async function* faceWindows(source: FrameSource, tracks: FaceTimeline[], o: WindowOptions): AsyncGenerator<FaceWindow> {
  const T = o.numFrames;
  const S = o.imageSize;
  const per = S * S * 3;
  const state = tracks.map(() => ({ crops: [] as Array<{ frame: number; rgb: Uint8Array }>, first: 0, emitted: 0 }));
  const build = (ti: number, picks: number[]): FaceWindow => {
    const st = state[ti];
    const clip = new Float32Array(T * per);
    const frames = picks.map((k, t) => {
      const c = st.crops[k - st.first];
      normalise(c.rgb, clip, t * per);
      return c.frame;
    });
    return { track: tracks[ti], index: st.emitted++, frames, clip };
  };
  for await (const frame of source.frames()) {
    for (let ti = 0; ti < tracks.length; ti++) {
      const track = tracks[ti];
      const st = state[ti];
      const rel = frame.index - track.firstFrame;
      if (rel < 0 || frame.index > track.lastFrame) continue;
      if (rel % o.frameStride === 0) {
        const [rgb] = cropFacesRaw(frame, [track.regions[rel]], S);
        st.crops.push({ frame: frame.index, rgb });
        const have = st.first + st.crops.length; // crops taken so far
        const start = st.emitted * o.hop;
        if (have >= start + T) {
          yield build(
            ti,
            Array.from({ length: T }, (_, t) => start + t),
          );
          // Crops before the next window's start are no longer needed.
          const next = st.emitted * o.hop;
          const drop = Math.max(0, next - st.first);
          st.crops.splice(0, drop);
          st.first += drop;
        }
      }
      if (frame.index === track.lastFrame && st.emitted === 0 && st.crops.length > 0) {
        // Shorter than one window: all its crops, the last repeated.
        const n = st.crops.length;
        yield build(
          ti,
          Array.from({ length: T }, (_, t) => st.first + Math.min(t, n - 1)),
        );
      }
    }
  }
}
