// Builds the AdaTosk model a run config describes, and rebuilds it from a training checkpoint.
import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  ADATOSK_OPTIONS_METADATA_KEY,
  adaToskFromSafetensors,
  configFromHF,
  CONFIG_METADATA_KEY,
  createAdaTosk,
  decodeEntry,
  decodeTrainState,
  isHFConfig,
  isTrainState,
  parseConfig,
  readSafetensors,
  readSavedModelConfig,
  resolveConfig,
  savedAdaToskOptions,
  writeSafetensors,
  type AdaToskModel,
  type SoftMaskReport,
  type VideoMAEConfig,
  type WritableTensor,
} from '@adatosk/core';
import { registerBuiltinMasks } from '@adatosk/masks';
import type { RunConfig } from '../config/schema.js';
import { adaToskOptionsOf } from '../config/quickstart.js';
import { readInitWeights } from '../pretrain/init.js';
import { validateConfig } from '../config/load.js';
import { CliError } from '../errors.js';
import { MODEL, MODEL_CONFIG, RUN_SETTINGS, readCheckpointBytes, resolveCheckpoint } from '../run/store.js';
import { writeFileAtomic } from '../run/atomic.js';
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

export { adaToskOptionsOf };

/** A fresh model, or one on `model.pretrained` weights (an HF VideoMAE checkpoint file or folder). */
export async function buildModel(
  cfg: RunConfig,
  classes: readonly string[],
  ctx: { fold?: number; corePreset?: boolean },
): Promise<RunModel> {
  const config = modelConfigOf(cfg, classes, ctx);
  // bench (corePreset) measures the method's own defaults, not the quick-start model's options.
  const options = (ctx.corePreset ? { ...cfg.model.adatosk } : adaToskOptionsOf(cfg)) as Record<string, unknown>;
  return createOrLoadModel(cfg, config, options, cfg.train.seed);
}

/**
 * `config` with fresh weights (seeded by `initSeed`), or on `model.pretrained`'s weights: what `train`,
 * `eval` and `pretrain` build their model with. Errors name the config keys to check.
 */
export async function createOrLoadModel(
  cfg: RunConfig,
  config: ReturnType<typeof modelConfigOf>,
  options: Record<string, unknown>,
  initSeed: number,
): Promise<RunModel> {
  // Explicit (idempotent) rather than a side-effect import, so bundlers cannot drop it.
  registerBuiltinMasks();
  try {
    if (!cfg.model.pretrained) return createAdaTosk(config, { initSeed, ...options });
    // A run folder of `adatosk pretrain`/`train`, a weights file or a checkpoint (see pretrain/init.ts).
    const { bytes, file } = await readInitWeights(cfg.model.pretrained);
    // The run's config decides the architecture and class count; missing head weights are initialised fresh.
    return await adaToskFromSafetensors(config, bytes, { ...options, load: { strict: false, source: file } } as Parameters<
      typeof adaToskFromSafetensors
    >[2]);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`model: ${(e as Error).message} (check model.adatosk / model.overrides / model.pretrained)`, 2);
  }
}

/** What a run folder's run.json (and every training checkpoint's metadata) holds. */
export interface RunSettings {
  /** The training config (`adatosk train`'s, after merging file and flags). */
  config: RunConfig;
  classes: readonly string[];
  fold: number | null;
  modelConfig: VideoMAEConfig;
  /** The AdaTosk options the model was built with. */
  adatosk: Record<string, unknown>;
}

/**
 * Writes the model as `model.safetensors` (HF key names; model config and AdaTosk options in its metadata) and
 * `config.json` (HF config plus `adatosk`: the options), so the folder loads as is in the demo, `loadModel`,
 * `loadAdaToskFromUrl` and `predict`.
 */
export async function exportModel(dir: string, model: RunModel, options: Record<string, unknown>): Promise<void> {
  const saved = await model.toSafetensors();
  const file = readSafetensors(saved.safetensors, 'model');
  const tensors: Record<string, WritableTensor> = {};
  for (const [name, entry] of file.tensors) tensors[name] = { dtype: 'F32', shape: entry.shape, data: decodeEntry(entry) as Float32Array };
  const weights = writeSafetensors(tensors, { ...file.metadata, [ADATOSK_OPTIONS_METADATA_KEY]: JSON.stringify(options) });
  // Weights first, so a config never points at missing weights.
  await writeFileAtomic(join(dir, MODEL), weights);
  await writeFileAtomic(join(dir, MODEL_CONFIG), `${JSON.stringify({ ...saved.config, adatosk: options }, null, 2)}\n`);
}

async function readJsonIfAny(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`, 2);
  }
}

interface Loaded {
  model: RunModel;
  config: RunConfig;
  classes: readonly string[];
  file: string;
  /** The fold the run trained on (k-fold runs and 5-fold datasets). */
  fold?: number;
}

/** A training checkpoint: weights plus the run settings it carries. */
async function fromTrainState(file: string, bytes: Uint8Array): Promise<Loaded> {
  let state: ReturnType<typeof decodeTrainState>;
  try {
    state = decodeTrainState(bytes, file);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const meta = (state.meta ?? {}) as { config?: unknown; classes?: string[]; fold?: number | null };
  if (!meta.config || !meta.classes)
    throw new CliError(`${file}: no run config or class names inside; it was not written by 'adatosk train'`, 2);
  const config = validateConfig(meta.config, `${file} (saved config)`);
  const model = await buildModel(config, meta.classes, {});
  for (const [name, v] of Object.entries(model.trainableVariables)) {
    const w = state.weights[name];
    if (!w || w.data.length !== v.size) {
      model.dispose();
      throw new CliError(
        `${file}: weights for '${name}' are ${w ? `${w.data.length} values, expected ${v.size}` : 'missing'}; the checkpoint does not match this version's model`,
        2,
      );
    }
    tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
  }
  return { model, config, classes: meta.classes, file, ...(typeof meta.fold === 'number' ? { fold: meta.fold } : {}) };
}

/**
 * An exported model (model.safetensors: weights only, no training state): the run settings come from run.json
 * beside it, else from the file's own metadata (model config, AdaTosk options) and a config.json beside it.
 */
async function fromExportedModel(file: string, bytes: Uint8Array): Promise<Loaded> {
  const dir = dirname(file);
  const settings = (await readJsonIfAny(join(dir, RUN_SETTINGS))) as Partial<RunSettings> | undefined;
  const side = await readJsonIfAny(join(dir, MODEL_CONFIG));
  let modelConfig: VideoMAEConfig;
  let options: Record<string, unknown>;
  try {
    const metadata = readSafetensors(bytes, file).metadata;
    const saved = side ? readSavedModelConfig(side, join(dir, MODEL_CONFIG)) : undefined;
    modelConfig = settings?.modelConfig
      ? parseConfig(settings.modelConfig, join(dir, RUN_SETTINGS))
      : metadata[CONFIG_METADATA_KEY]
        ? parseConfig(JSON.parse(metadata[CONFIG_METADATA_KEY]), `${file} metadata config`)
        : saved
          ? isHFConfig(saved.config)
            ? configFromHF(saved.config, join(dir, MODEL_CONFIG))
            : parseConfig(saved.config, join(dir, MODEL_CONFIG))
          : fail(
              `${file}: the file carries no model config and no config.json lies beside it; pass the folder of a run made by 'adatosk train'`,
            );
    options = settings?.adatosk ?? savedAdaToskOptions(metadata, file) ?? saved?.adatosk ?? {};
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const classes = settings?.classes ?? modelConfig.labels ?? Array.from({ length: modelConfig.numClasses }, (_, i) => `class ${i}`);
  // Without run.json the run config is rebuilt around the model's own architecture (input size, classes).
  const { labels: _l, numClasses: _n, ...architecture } = modelConfig;
  const config = settings?.config
    ? validateConfig(settings.config, `${join(dir, RUN_SETTINGS)} (saved config)`)
    : validateConfig({ model: { overrides: architecture, adatosk: options } }, `${file} (model config)`);
  registerBuiltinMasks();
  try {
    const model = await adaToskFromSafetensors(modelConfig, bytes, { ...options, load: { source: file } } as Parameters<
      typeof adaToskFromSafetensors
    >[2]);
    return { model, config, classes, file, ...(typeof settings?.fold === 'number' ? { fold: settings.fold } : {}) };
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * Loads what `adatosk train` wrote (a training checkpoint, the exported model.safetensors, a run folder or
 * runs/latest) into a model ready to predict. Prediction needs no training state.
 */
export async function modelFromCheckpoint(path: string): Promise<Loaded> {
  const file = await resolveCheckpoint(path, 'best');
  const bytes = await readCheckpointBytes(file);
  let train: boolean;
  try {
    train = isTrainState(bytes, file);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  return train ? fromTrainState(file, bytes) : fromExportedModel(file, bytes);
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
