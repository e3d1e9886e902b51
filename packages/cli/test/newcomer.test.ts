// What a new user tripped over (issue 9): failed starts leave nothing behind, a run folder loads as is everywhere,
// truncated checkpoints say so, the exported model predicts, plots keep their history, SIGTERM saves and stops.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochEvent } from '@adatosk/core';
import { loadAdaTosk, loadModel } from '@adatosk/backend-node';
import { captureIo } from '../src/io.js';
import { runTrain } from '../src/commands/train.js';
import { clipFor, runPredict } from '../src/commands/predict.js';
import { runEval } from '../src/commands/eval.js';
import { lossSpec } from '../src/render/plots.js';
import { RunStore } from '../src/run/store.js';
import { validateConfig } from '../src/config/load.js';
import { SMALL_TINY_OVERRIDES } from './support/small-model.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'adatosk-newcomer-'));
});

/** A model and dataset small enough for a few seconds per run. */
const small = (dir: string, name: string | undefined, extra: Record<string, unknown> = {}) => ({
  model: {
    preset: 'tiny',
    overrides: { ...SMALL_TINY_OVERRIDES },
  },
  data: { trainClips: 14, testClips: 7 },
  train: { epochs: 2, batchSize: 7, lr: 1e-3, warmupEpochs: 0 },
  output: { dir, ...(name ? { name } : {}), plots: true },
  backend: 'wasm',
  ...extra,
});

const state = { version: 1 as const, epoch: 1, stepInEpoch: 0, step: 2, seed: 0, weights: {}, optimizer: { t: 2, m: {}, v: {} } };

describe('a failed train creates nothing', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown backend', { backend: 'quantum' }, /unknown backend 'quantum'/],
    [
      'a missing dataset root',
      { data: { name: 'dfew', root: '/nonexistent/dfew', fold: 1 } },
      /dataset root '\/nonexistent\/dfew' does not exist/,
    ],
    ['dfew without --fold', { data: { name: 'dfew', root: '.' } }, /--fold/],
    ['an unknown dataset', { data: { name: 'nosuchset', root: '.' } }, /nosuchset/],
  ];
  for (const [what, overrides, message] of cases) {
    it(`${what}: no run folder, runs/latest untouched`, async () => {
      const parent = await mkdtemp(join(out, 'fail-'));
      await mkdir(join(parent, 'earlier'));
      await writeFile(join(parent, 'earlier', 'checkpoint-last.safetensors'), '');
      await symlink('earlier', join(parent, 'latest'));
      const base = small(parent, undefined);
      await expect(runTrain({ overrides: { ...base, ...overrides, output: base.output }, io: captureIo() })).rejects.toThrow(message);
      expect(readdirSync(parent).sort()).toEqual(['earlier', 'latest']);
      expect(readlinkSync(join(parent, 'latest'))).toBe('earlier');
    });
  }
});

describe('run folders', () => {
  it('two runs started in the same second get two folders; a named folder in use is refused', async () => {
    const parent = join(out, 'same-second');
    const now = new Date('2026-01-02T03:04:05Z');
    const a = await RunStore.create(parent, undefined, 2, { now });
    const b = await RunStore.create(parent, undefined, 2, { now });
    expect(a.dir).not.toBe(b.dir);
    expect(readdirSync(parent).sort()).toEqual(['20260102-030405', '20260102-030405-2']);
    await writeFile(join(a.dir, 'metrics.jsonl'), '');
    await expect(RunStore.create(parent, '20260102-030405', 2)).rejects.toThrow(/already exists; pick another --name .* --resume/);
  });

  it('moves runs/latest only once the run has a checkpoint', async () => {
    const parent = join(out, 'latest-late');
    const store = await RunStore.create(parent, 'r1', 2);
    expect(existsSync(join(parent, 'latest'))).toBe(false);
    await store.saveCheckpoint(state, { epoch: 1, step: 2, best: false, reason: 'epoch' });
    expect(readlinkSync(join(parent, 'latest'))).toBe('r1');
  });
});

describe('the folder a train run writes', () => {
  let runDir: string;
  beforeAll(async () => {
    const cfg = small(join(out, 'runs'), 'done', { train: { epochs: 2, batchSize: 7, lr: 1e-3, warmupEpochs: 0, evalEvery: 1 } });
    // The quick-start preset, so the run is built with (and must record) the quick start's AdaTosk options.
    const r = await runTrain({ overrides: { ...cfg, model: { ...cfg.model, preset: 'quickstart' } }, io: captureIo() });
    runDir = r.runDir;
  });

  it('holds the model config as config.json and the training settings as run.json', async () => {
    const config = JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8'));
    expect(config.model_type).toBe('videomae');
    expect(Object.values(config.id2label)).toEqual(['Happy', 'Sad', 'Neutral', 'Angry', 'Surprise', 'Disgust', 'Fear']);
    expect(config.adatosk).toMatchObject({ objective: 'classify', rhoS: 0.25 });
    const run = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    expect(run.config.train.epochs).toBe(2);
    expect(run.classes).toHaveLength(7);
  });

  it('predict reads the exported model.safetensors (no training state) and agrees with the last checkpoint', async () => {
    const exported = await runPredict({ checkpoint: join(runDir, 'model.safetensors'), synthetic: 2, io: captureIo() });
    const last = await runPredict({ checkpoint: join(runDir, 'checkpoint-last.safetensors'), synthetic: 2, io: captureIo() });
    expect(exported.predicted).toBe(last.predicted);
    for (const [k, p] of Object.entries(last.probabilities)) expect(exported.probabilities[k]).toBeCloseTo(p, 6);
    // On its own (copied out of the run folder), the file still carries its config, classes and AdaTosk options.
    const alone = join(out, 'alone');
    await mkdir(alone);
    await copyFile(join(runDir, 'model.safetensors'), join(alone, 'model.safetensors'));
    const lone = await runPredict({ checkpoint: join(alone, 'model.safetensors'), synthetic: 2, io: captureIo() });
    for (const [k, p] of Object.entries(last.probabilities)) expect(lone.probabilities[k]).toBeCloseTo(p, 6);
  });

  it("loads as is with backend-node's loadModel and loadAdaTosk, with the run's classes and AdaTosk options", async () => {
    const backbone = await loadModel(runDir);
    expect(backbone.config.labels).toHaveLength(7);
    backbone.dispose();
    const model = await loadAdaTosk(runDir);
    const cfg = validateConfig(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')).config);
    const { sample } = await clipFor(cfg, { synthetic: 2 });
    const [T, H, W] = sample.shape;
    const probs = tf.tidy(() => model.predict(tf.tensor5d(sample.frames, [1, T, H, W, 3])).probs);
    const api = Array.from(await probs.data());
    probs.dispose();
    model.dispose();
    const cli = await runPredict({ checkpoint: join(runDir, 'model.safetensors'), synthetic: 2, io: captureIo() });
    expect(api.map((p) => p.toFixed(6))).toEqual(Object.values(cli.probabilities).map((p) => p.toFixed(6)));
  });

  it('an older run folder (config.json = run settings) loads too; another JSON is refused in one line', async () => {
    const legacy = join(out, 'legacy');
    await mkdir(legacy);
    await copyFile(join(runDir, 'model.safetensors'), join(legacy, 'model.safetensors'));
    await copyFile(join(runDir, 'run.json'), join(legacy, 'config.json'));
    const model = await loadModel(legacy);
    expect(model.config.numClasses).toBe(7);
    model.dispose();
    await copyFile(join(runDir, 'history.json'), join(legacy, 'config.json'));
    const err = await loadModel(legacy).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /legacy\/config\.json is not a model config \(it holds epochs, evals\)\. Point at a folder holding model\.safetensors/,
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('draws accuracy.png from the per-epoch evaluations and keeps the history in history.json', async () => {
    const history = JSON.parse(await readFile(join(runDir, 'history.json'), 'utf8'));
    expect(history.epochs.map((e: EpochEvent) => e.epoch)).toEqual([1, 2]);
    expect(history.evals.map((e: EpochEvent) => e.epoch)).toEqual([1, 2]);
    expect(existsSync(join(runDir, 'accuracy.png'))).toBe(true);
  });

  it('says "truncated", with the path, for a checkpoint cut to 50-95% in predict, eval and resume', async () => {
    const bytes = await readFile(join(runDir, 'checkpoint-best.safetensors'));
    const model = await readFile(join(runDir, 'model.safetensors'));
    for (const part of [0.5, 0.75, 0.95]) {
      const dir = join(out, `cut-${part}`);
      await mkdir(dir);
      const cut = join(dir, 'checkpoint-best.safetensors');
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * part)));
      const named = new RegExp(`${cut.replace(/[.]/g, '\\.')}: truncated`);
      await expect(runPredict({ checkpoint: cut, synthetic: 0, io: captureIo() })).rejects.toThrow(named);
      await expect(runEval({ checkpoint: dir, io: captureIo() })).rejects.toThrow(named);
      await expect(runTrain({ resume: cut, io: captureIo() })).rejects.toThrow(named);
      const cutModel = join(dir, 'model.safetensors');
      await writeFile(cutModel, model.subarray(0, Math.floor(model.length * part)));
      await expect(runPredict({ checkpoint: cutModel, synthetic: 0, io: captureIo() })).rejects.toThrow(/model\.safetensors: truncated/);
      await expect(loadModel(cutModel)).rejects.toThrow(/model\.safetensors: truncated/);
    }
    await writeFile(join(out, 'notes.safetensors'), 'just some text, not a checkpoint');
    await expect(runPredict({ checkpoint: join(out, 'notes.safetensors'), synthetic: 0, io: captureIo() })).rejects.toThrow(
      /notes\.safetensors: not a safetensors file/,
    );
  });
});

describe('plots', () => {
  const epoch = (e: number, loss: number, cls: number, rec: number): EpochEvent => ({
    type: 'epoch',
    epoch: e,
    epochs: 2,
    loss,
    cls,
    rec,
    lr: 1e-3,
    skipped: 0,
    durationMs: 1,
    clipsPerSec: 1,
  });
  const series = (h: EpochEvent[]) => [...new Set((lossSpec(h).data as { values: { series: string }[] }).values.map((v) => v.series))];

  it('leaves out a reconstruction loss that is zero throughout and a total that equals the classification loss', () => {
    expect(series([epoch(1, 2, 2, 0), epoch(2, 1, 1, 0)])).toEqual(['classification (= total)']);
    expect(series([epoch(1, 3, 2, 1), epoch(2, 2, 1, 1)])).toEqual(['total', 'classification', 'reconstruction']);
  });

  it('keeps the epochs before an interrupt after --resume', async () => {
    const parent = join(out, 'resumed');
    const ctl = new AbortController();
    const io = captureIo();
    const orig = io.out;
    io.out = (line) => {
      orig(line);
      const e = JSON.parse(line);
      if (e.type === 'step' && e.epoch === 2) ctl.abort();
    };
    const cfg = small(parent, 'cut', { train: { epochs: 3, batchSize: 7, lr: 1e-3, warmupEpochs: 0, evalEvery: 1 } });
    const cut = await runTrain({ overrides: cfg, json: true, signal: ctl.signal, io });
    expect(cut.aborted).toBe(true);
    await runTrain({ resume: join(parent, 'latest'), io: captureIo() });
    const history = JSON.parse(await readFile(join(cut.runDir, 'history.json'), 'utf8'));
    expect(history.epochs.map((e: EpochEvent) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.evals.map((e: EpochEvent) => e.epoch)).toEqual([1, 2, 3]);
  });
});

describe('signals', () => {
  it('SIGTERM saves a checkpoint and stops, as Ctrl-C does', async () => {
    const before = process.listenerCount('SIGTERM');
    const io = captureIo();
    const orig = io.out;
    let steps = 0;
    io.out = (line) => {
      orig(line);
      if (JSON.parse(line).type === 'step' && ++steps === 1) process.emit('SIGTERM', 'SIGTERM');
    };
    const r = await runTrain({
      overrides: small(join(out, 'sigterm'), 'r', { train: { epochs: 3, batchSize: 2, lr: 1e-3, warmupEpochs: 0 } }),
      json: true,
      io,
    });
    expect(r.aborted).toBe(true);
    expect(io.stderr.join('\n')).toMatch(/SIGTERM: finishing the current step and saving a checkpoint/);
    expect(existsSync(join(r.runDir, 'checkpoint-last.safetensors'))).toBe(true);
    expect(existsSync(join(r.runDir, 'model.safetensors'))).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
