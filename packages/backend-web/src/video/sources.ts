// Frame sources for recognition: a <video> (file or webcam), a MediaStream, or ImageBitmaps.

export interface VideoFrameOptions {
  /** Frames per second to sample (default 8). */
  fps?: number;
  /** Downscale while grabbing (createImageBitmap resize), e.g. the model's imageSize. */
  size?: number;
  signal?: AbortSignal;
}

type FrameCallbackVideo = HTMLVideoElement & { requestVideoFrameCallback?: (callback: () => void) => number };

/**
 * Resolves once the video presents its next decoded frame (or ends, or `signal` aborts). Chromium refuses
 * `createImageBitmap` on a video that has just started playing ("The image source is not usable") even at
 * readyState 4: the first frame exists only once it has been presented.
 */
function nextFrame(video: HTMLVideoElement, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const v = video as FrameCallbackVideo;
    if (typeof v.requestVideoFrameCallback === 'function') v.requestVideoFrameCallback(() => resolve());
    else video.addEventListener('timeupdate', () => resolve(), { once: true });
    video.addEventListener('ended', () => resolve(), { once: true });
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Samples frames from a playing <video> at `fps` as ImageBitmaps until it ends or `signal` aborts. A file
 * video is played from its current position; a webcam video runs until aborted.
 */
export async function* videoFrames(video: HTMLVideoElement, options: VideoFrameOptions = {}): AsyncGenerator<ImageBitmap> {
  const fps = options.fps ?? 8;
  const interval = 1000 / fps;
  if (video.readyState < 2) {
    await new Promise<void>((resolve, reject) => {
      video.addEventListener('loadeddata', () => resolve(), { once: true });
      video.addEventListener('error', () => reject(new Error(`video failed to load: ${video.error?.message ?? 'unknown error'}`)), {
        once: true,
      });
    });
  }
  if (video.paused) await video.play();
  await nextFrame(video, options.signal);
  const resize = options.size ? { resizeWidth: options.size, resizeHeight: options.size, resizeQuality: 'medium' as const } : undefined;
  let next = performance.now();
  while (!video.ended && !options.signal?.aborted) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    next += interval;
    if (video.ended || options.signal?.aborted) break;
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(video, resize);
    } catch (err) {
      // No frame to read right now (a stall, a seek): wait for the next one once, then give up.
      if ((err as DOMException).name !== 'InvalidStateError') throw err;
      await nextFrame(video, options.signal);
      if (video.ended || options.signal?.aborted) break;
      bitmap = await createImageBitmap(video, resize);
    }
    yield bitmap;
  }
}

/** Frames from a webcam MediaStream (plays it in a hidden <video>). */
export async function* streamFrames(stream: MediaStream, options: VideoFrameOptions = {}): AsyncGenerator<ImageBitmap> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    yield* videoFrames(video, options);
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

/** Any (async) iterable of frames, e.g. ImageBitmaps or synthetic frames, as an async generator. */
export async function* iterateFrames<T>(frames: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  for await (const f of frames as AsyncIterable<T>) yield f;
}
