// Builds the AdaTosk model a run config describes, and rebuilds it from a training checkpoint.
import * as tf from '@tensorflow/tfjs-core';
import {
  adaToskFromSafetensors, createAdaTosk, decodeTrainState, resolveConfig,
  type AdaToskModel, type SoftMaskReport, type VideoMAEConfig,
} from '@adatosk/core';
import { registerBuiltinMasks } from '@adatosk/masks';
import type { RunConfig } from '../config/schema.js';
import { adaToskOptionsOf } from '../config/quickstart.js';
import { readInitWeights } from '../pretrain/init.js';
import { validateConfig } from '../config/load.js';
import { CliError } from '../errors.js';
import { readCheckpointBytes, resolveCheckpoint } from '../run/store.js';
import type { MaskRows } from '../render/masks.js';

/** The model the CLI trains and runs. */
export type RunModel = AdaToskModel;

/** The backbone config of a run: the preset plus `model.overrides`, with the dataset's class count. */
export function modelConfigOf(cfg: RunConfig, classes?: readonly string[], _opts: { corePreset?: boolean } = {}): VideoMAEConfig {
  // A preset name means core's preset everywhere (the quick start has its own, `quickstart`).
  const overrides: Partial<VideoMAEConfig> = { ...(cfg.model.overrides as Partial<VideoMAEConfig>) };
  if (classes) Object.assign(overrides, { numClasses: classes.length, labels: [...classes] });
  try {
    return resolveConfig(cfg.model.preset, overrides);
  } catch (e) {
    throw new CliError(`model.overrides: ${(e as Error).message}`, 2);
  }
}

export function modelInput(cfg: RunConfig): { numFrames: number; imageSize: number } {
  const c = modelConfigOf(cfg);
  return { numFrames: c.numFrames, imageSize: c.imageSize };
}

/** A fresh model, or one on `model.pretrained` weights (an HF VideoMAE checkpoint file or folder). */
export async function buildModel(cfg: RunConfig, classes: readonly string[], ctx: { fold?: number; corePreset?: boolean }): Promise<RunModel> {
  const config = modelConfigOf(cfg, classes, ctx);
  // bench (corePreset) measures the method's own defaults, not the quick-start model's options.
  const options = (ctx.corePreset ? { ...cfg.model.adatosk } : adaToskOptionsOf(cfg)) as Record<string, unknown>;
  // Explicit (idempotent) rather than a side-effect import, so bundlers cannot drop it.
  registerBuiltinMasks();
  try {
    if (!cfg.model.pretrained) return createAdaTosk(config, { initSeed: cfg.train.seed, ...options });
    // A run folder of `adatosk pretrain`/`train`, a weights file or a checkpoint (see pretrain/init.ts).
    const { bytes, file } = await readInitWeights(cfg.model.pretrained);
    // The run's config decides the architecture and class count; missing head weights are initialised fresh.
    return await adaToskFromSafetensors(config, bytes, { ...options, load: { strict: false, source: file } } as Parameters<typeof adaToskFromSafetensors>[2]);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`model: ${(e as Error).message} (check model.adatosk / model.overrides / model.pretrained)`, 2);
  }
}

/** Loads a checkpoint written by `adatosk train` (file, run folder or runs/latest) into a fresh model. */
export async function modelFromCheckpoint(path: string): Promise<{ model: RunModel; config: RunConfig; classes: readonly string[]; file: string }> {
  const file = await resolveCheckpoint(path, 'best');
  const bytes = await readCheckpointBytes(file);
  let state: ReturnType<typeof decodeTrainState>;
  try {
    state = decodeTrainState(bytes, file);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const meta = (state.meta ?? {}) as { config?: unknown; classes?: string[] };
  if (!meta.config || !meta.classes) throw new CliError(`${file}: no run config or class names inside; it was not written by 'adatosk train'`, 2);
  const config = validateConfig(meta.config, `${file} (saved config)`);
  const model = await buildModel(config, meta.classes, {});
  for (const [name, v] of Object.entries(model.trainableVariables)) {
    const w = state.weights[name];
    if (!w || w.data.length !== v.size) {
      model.dispose();
      throw new CliError(`${file}: weights for '${name}' are ${w ? `${w.data.length} values, expected ${v.size}` : 'missing'}; the checkpoint does not match this version's model`, 2);
    }
    tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
  }
  return { model, config, classes: meta.classes, file };
}

/** The figure rows of clip 0 of a batch. */
export async function softMaskRows(model: RunModel, clips: tf.Tensor5D): Promise<MaskRows> {
  const m: SoftMaskReport = await model.softMasks(clips);
  const rows: MaskRows['rows'] = [];
  // Custom soft masks may report other parts (or none): draw whatever they explain, then the final mask.
  if (m.ca) rows.push({ name: 'class-agnostic', scores: m.ca[0] });
  if (m.cs) rows.push({ name: 'class-semantic', scores: m.cs[0] });
  for (const [name, v] of Object.entries(m.parts)) if (name !== 'ca' && name !== 'cs') rows.push({ name, scores: v[0] });
  rows.push({ name: 'final', scores: m.final[0] });
  return { grid: m.grid, tubelet: model.config.tubeletSize, visible: m.visible[0], rows };
}
