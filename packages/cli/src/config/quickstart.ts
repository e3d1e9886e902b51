// The quick start: what `adatosk train` with no arguments runs. Core's `quickstart` preset (the model), the AdaTosk
// options that go with it, and the synthetic data's difficulty, tuned (by profiling on 2 CPU cores, WASM) so the
// run reaches WAR >= 85% on the synthetic test split within five minutes with soft-mask token selection active at
// inference. The profile is merged UNDER the user's own keys; `quickStartNotes` prints, at the start of every run,
// each way the run departs from the SPEC's AdaTosk defaults and the generator's difficulty, and `costLines` prints
// the inference cost next to the full-token model's at the end (docs/cli.md, "Quick start", says why).

import type { AdaToskFlops } from '@adatosk/core';

/** The preset `adatosk train` uses by default (core's `quickstart`). */
export const QUICKSTART_PRESET = 'quickstart';

/**
 * AdaTosk options of the quick-start model (applied when `model.preset` is `quickstart`): the class-agnostic
 * dynamic mask ranks the tokens at the patch embeddings and the quarter it keeps is all the encoder sees, in
 * training and at inference alike (no hard mask, no label). Measured alternatives: docs/cli.md.
 */
export const QUICKSTART_ADATOSK: Record<string, unknown> = {
  objective: 'classify',
  hardMask: { name: 'hard-random', options: { mode: 'none' } },
  rhoHInfer: 0,
  rhoS: 0.25,
  selectAtLayer: 0,
  semanticTarget: 'prediction',
  softMask: { name: 'class-agnostic-dynamic' },
};

/**
 * The training settings the quick start tunes on top of core's TRAIN_DEFAULTS (everything else is core's).
 * Core has no default epochs, batch or learning rate; the rest departs from core for the 3-minute budget:
 * a floor under the cosine (minLr), a short warmup, and clipping, which the quick-start model at lr 3e-3 needs.
 * evalEvery 4 instead of core's 1: evaluating the 140 test clips costs ~13% of a training epoch (measured,
 * 4 epochs on WASM under load: 3.3 s per evaluation, 25 s per epoch); every 4th epoch still gives 16 points on
 * the accuracy curve for ~3%.
 */
export const QUICK_START_TRAIN = {
  epochs: 64,
  batchSize: 8,
  lr: 3e-3,
  minLr: 1e-5,
  warmupEpochs: 0.3,
  clipGradNorm: 1,
  evalEvery: 4,
} as const;

/** The synthetic generator's difficulty for the quick start (applied when `data.name` is `synthetic`). */
export const SYNTHETIC_DATA: Record<string, unknown> = {
  activeSpan: [0.6, 0.9],
  jitter: 0.2,
  lighting: 0.2,
  clutter: 2,
  noise: 0.01,
  distractors: true,
  resample: true,
};

/**
 * The full-token model (every token through every layer, mean pooling) trained with the quick start's own data and
 * budget: what the quick start's accuracy is compared with. The mean over seeds 0-2 of the full-token row of
 * `npx adatosk ablate --suite configs/ablation/quickstart-suite.yaml` (2026-12-01: WAR 90.71, 89.29, 89.29%; the
 * test split has 20 clips per class, so UAR = WAR); docs/results.md has the table.
 */
export const QUICKSTART_FULL_TOKEN = { war: 0.8976190476190476, uar: 0.8976190476190476 };

/** What the SPEC calls AdaTosk's defaults for joint training (docs/masks.md), to report deviations against. */
const SPEC_ADATOSK: Record<string, unknown> = {
  objective: 'joint',
  rhoH: 0.5,
  rhoHInfer: 0.5,
  rhoS: 0.5,
  lambda: 1,
  semanticTarget: 'label',
  beta: 0.5,
};

/** The generator's own difficulty (SYNTHETIC_DEFAULTS of @adatosk/datasets), to report deviations against. */
const GENERATOR_DATA: Record<string, unknown> = {
  activeSpan: [0.25, 0.45],
  jitter: 1,
  lighting: 1,
  clutter: 6,
  noise: 0.02,
  repeatProb: 0.1,
  distractors: true,
};

type Obj = Record<string, unknown>;
const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diffs(effective: Obj, reference: Obj): string[] {
  return Object.keys(reference)
    .filter((k) => k in effective && !same(effective[k], reference[k]))
    .map((k) => `${k} ${show(effective[k])} (not ${show(reference[k])})`);
}

/** The AdaTosk options a run's model gets: the quick-start model's under the user's own. */
export function adaToskOptionsOf(cfg: { model: { preset: string; adatosk: Obj } }): Obj {
  return { ...(cfg.model.preset === QUICKSTART_PRESET ? QUICKSTART_ADATOSK : {}), ...cfg.model.adatosk };
}

/**
 * One line per part of the quick-start profile a run uses that differs from the reference (the SPEC's AdaTosk
 * defaults, the generator's difficulty), so the CLI says plainly where the run departs from the method and data.
 * Empty when nothing differs.
 */
export function quickStartNotes(cfg: { model: { preset: string; adatosk: Obj }; data: { name: string; options: Obj } }): string[] {
  const lines: string[] = [];
  if (cfg.model.preset === QUICKSTART_PRESET) {
    const a = adaToskOptionsOf(cfg);
    const soft = a.softMask as { name?: string; options?: Obj } | undefined;
    const effective: Obj = { ...SPEC_ADATOSK, ...a };
    effective.beta = soft?.name === 'combined' || soft === undefined ? (soft?.options?.beta ?? 0.5) : undefined;
    const d = diffs(effective, SPEC_ADATOSK).filter((x) => !x.startsWith('beta undefined'));
    if (soft?.name && soft.name !== 'combined') d.push(`softMask ${soft.name} (not combined)`);
    const hard = a.hardMask as { name?: string; options?: Obj } | undefined;
    const mode = hard?.name === 'hard-random' ? (hard.options?.mode ?? 'tube') : hard?.name;
    if (mode !== undefined && mode !== 'tube') d.push(`hardMask ${String(mode)} (not tube)`);
    if (a.selectAtLayer !== undefined) d.push(`selectAtLayer ${show(a.selectAtLayer)} (not the last layer)`);
    if (d.length) lines.push(`AdaTosk: differs from the SPEC's defaults: ${d.join(', ')}`);
  }
  if (cfg.data.name === 'synthetic') {
    const data = diffs({ ...GENERATOR_DATA, ...SYNTHETIC_DATA, ...cfg.data.options }, GENERATOR_DATA);
    if (data.length) lines.push(`synthetic data: differs from the generator's defaults: ${data.join(', ')}`);
  }
  return lines;
}

/** The untouched quick start: default preset, data and budget, no AdaTosk, model or data keys of the user's. */
export function isDefaultQuickStart(
  cfg: {
    model: { preset: string; adatosk: Obj; overrides: Obj; pretrained?: string };
    data: { name: string; options: Obj; trainClips: number; testClips: number };
    train: { epochs: number; batchSize: number; lr: number };
  },
  defaults: typeof cfg,
): boolean {
  return (
    cfg.model.preset === QUICKSTART_PRESET &&
    same(cfg.model.adatosk, {}) &&
    same(cfg.model.overrides, {}) &&
    !cfg.model.pretrained &&
    cfg.data.name === 'synthetic' &&
    same(cfg.data.options, {}) &&
    cfg.data.trainClips === defaults.data.trainClips &&
    cfg.data.testClips === defaults.data.testClips &&
    cfg.train.epochs === defaults.train.epochs &&
    cfg.train.batchSize === defaults.train.batchSize &&
    cfg.train.lr === defaults.train.lr
  );
}

export interface InferenceCost {
  inference: number;
  full: number;
  tokens: { total: number; visible: number; kept: number };
  selectAtLayer: number;
  numLayers: number;
}

/** Per-clip inference GFLOPs of a trained model (as `predict` runs it) and of the full-token ViT. */
export function inferenceCost(model: { inferenceFlops(): AdaToskFlops; numLayers: number }): InferenceCost {
  const f = model.inferenceFlops();
  return {
    inference: f.adatosk.gflops,
    full: f.full.gflops,
    tokens: f.adatosk.tokens,
    selectAtLayer: f.settings.selectAtLayer,
    numLayers: model.numLayers,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const gf = (x: number) => (x >= 0.1 ? x.toFixed(3) : x.toPrecision(3));

/**
 * The end-of-run lines on cost and accuracy: inference GFLOPs per clip next to the full-token model's and, for the
 * untouched quick start, the WAR next to the full-token model trained with the same budget (by how much it misses).
 */
export function costLines(cost: InferenceCost, war: number | undefined, defaultQuickStart: boolean): string[] {
  const t = cost.tokens;
  const how =
    t.kept < t.visible
      ? `soft-mask selection keeps ${t.kept} of ${t.visible} visible tokens after layer ${cost.selectAtLayer} of ${cost.numLayers}`
      : t.visible < t.total
        ? `${t.visible} of ${t.total} tokens visible, no selection`
        : 'every token, no selection';
  const lines = [
    `inference: ${gf(cost.inference)} GFLOPs per clip (${how}); full-token model ${gf(cost.full)} GFLOPs (${(cost.inference / cost.full).toFixed(2)}x)`,
  ];
  const ref = QUICKSTART_FULL_TOKEN;
  if (defaultQuickStart && war !== undefined && Number.isFinite(ref.war)) {
    const gap = (ref.war - war) * 100;
    lines.push(
      gap > 0
        ? `accuracy: WAR ${pct(war)}, ${gap.toFixed(2)} points below the full-token model trained with the same budget (WAR ${pct(ref.war)}, docs/cli.md)`
        : `accuracy: WAR ${pct(war)}, matching the full-token model trained with the same budget (WAR ${pct(ref.war)}, docs/cli.md)`,
    );
  }
  return lines;
}
