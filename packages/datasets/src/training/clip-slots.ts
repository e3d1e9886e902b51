// Loads clips by index into slots of one batch buffer, through a worker pool when the dataset can plan
// its loads (file datasets, caches) and in-process otherwise. Broken clips (ClipLoadError) are reported
// and left out; the good clips are moved to the front in order. Shared by the train and eval adapters.
import { type ClipDataset, type ClipFailure, type ClipLoadOptions, isClipLoadError } from '@adatosk/core';
import { inProcessExecutor } from '../work/in-process.js';
import { isPlannedDataset } from '../work/planned.js';
import type { AugmentParamsOf } from './types.js';
import type { ClipExecutor, WorkOutput } from '../work/types.js';

export interface SlotLoad {
  index: number;
  options: ClipLoadOptions;
}

export interface SlotResult {
  /** Positions (into `loads`) that loaded, in order; their data is now at slots 0..kept.length-1. */
  kept: number[];
  labels: number[];
  failures: ClipFailure[];
  /** Augmentation each kept clip still needs (packed output only). */
  augments: AugmentParamsOf[];
}

/** Runs `fn` over items with at most `limit` in flight. */
async function forEachLimit<T>(items: T[], limit: number, fn: (x: T, k: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const k = next++;
        await fn(items[k]!, k);
      }
    }),
  );
}

/**
 * Loads `loads` into `buffer` (slot k at k * slotLength), then compacts the good ones to the front.
 * `output: 'packed'` needs a packable (cache) dataset and an Int32Array buffer.
 */
export async function loadIntoSlots(
  ds: ClipDataset,
  loads: SlotLoad[],
  buffer: Float32Array | Int32Array,
  slotLength: number,
  o: { executor?: ClipExecutor; concurrency: number; output: WorkOutput },
): Promise<SlotResult> {
  const ok = new Array<boolean>(loads.length).fill(false);
  const labels = new Array<number>(loads.length);
  const augments = new Array<AugmentParamsOf>(loads.length);
  const failures: ClipFailure[] = [];
  const planned = isPlannedDataset(ds) ? ds : undefined;
  if (o.output === 'packed' && !planned?.packable)
    throw new RangeError(`${ds.name}: device augmentation needs a frame cache (\`adatosk datasets prepare\`, then --cache)`);
  await forEachLimit(loads, o.concurrency, async ({ index, options }, k) => {
    const target = buffer.subarray(k * slotLength, (k + 1) * slotLength);
    try {
      if (planned && (o.executor || o.output === 'packed')) {
        const { work, sample } = await planned.plan(index, { ...options, output: o.output });
        await (o.executor ?? inProcessExecutor).run(work, target);
        labels[k] = sample.label;
        augments[k] = work.augment;
      } else {
        const sample = await ds.load(index, { ...options, target: target as Float32Array });
        if (sample.frames !== target) (target as Float32Array).set(sample.frames);
        labels[k] = sample.label;
      }
      ok[k] = true;
    } catch (error) {
      if (!isClipLoadError(error)) throw error;
      failures.push({ index, id: error.clipId, kind: error.kind, message: error.message });
    }
  });
  const kept: number[] = [];
  for (let k = 0; k < loads.length; k++) {
    if (!ok[k]) continue;
    const to = kept.length;
    if (to !== k) buffer.copyWithin(to * slotLength, k * slotLength, (k + 1) * slotLength);
    kept.push(k);
  }
  failures.sort((a, b) => loads.findIndex((l) => l.index === a.index) - loads.findIndex((l) => l.index === b.index));
  return { kept, labels: kept.map((k) => labels[k]!), failures, augments: kept.map((k) => augments[k]!) };
}
