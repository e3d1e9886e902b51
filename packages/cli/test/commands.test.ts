// In-process tests of every command, on a very small model and dataset (the full quick-start run is checked by hand).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTrainState } from '@adatosk/core';
import { captureIo } from '../src/io.js';
import { runTrain } from '../src/commands/train.js';
import { runPredict } from '../src/commands/predict.js';
import { runEval } from '../src/commands/eval.js';
import { runVisualize } from '../src/commands/visualize.js';
import { runInfo } from '../src/commands/info.js';
import { runBench } from '../src/commands/bench.js';
import { runDatasetsCheck, runDatasetsList } from '../src/commands/datasets.js';
import { main } from '../src/main.js';
import { SMALL_TINY_OVERRIDES } from './support/small-model.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'adatosk-cli-'));
});

/** A model and dataset small enough for a few seconds per run. */
const small = (name: string, extra: Record<string, unknown> = {}) => ({
  model: {
    preset: 'tiny',
    overrides: { ...SMALL_TINY_OVERRIDES },
  },
  data: { trainClips: 14, testClips: 7 },
  train: { epochs: 2, batchSize: 7, lr: 1e-3, warmupEpochs: 0 },
  output: { dir: out, name, plots: true },
  backend: 'wasm',
  ...extra,
});

describe('train -> predict -> eval -> visualize', () => {
  let runDir: string;
  it('trains, reports UAR/WAR, writes checkpoints, metrics log and plots', async () => {
    const io = captureIo();
    const r = await runTrain({ overrides: small('e2e'), io });
    runDir = r.runDir;
    expect(r.aborted).toBe(false);
    expect(r.metrics!.count).toBe(7);
    expect(io.stdout.join('\n')).toMatch(/UAR \d+\.\d+% {2}WAR \d+\.\d+%/);
    expect(io.stdout.join('\n')).toMatch(/checkpoint: .*checkpoint-best\.safetensors/);
    const files = await readdir(runDir);
    for (const f of [
      'checkpoint-best.safetensors',
      'checkpoint-last.safetensors',
      'checkpoint-epoch-002.safetensors',
      'metrics.jsonl',
      'config.json',
      'model.safetensors',
      'loss.png',
      'confusion.png',
    ]) {
      expect(files).toContain(f);
    }
    const events = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['start', 'epoch', 'eval', 'checkpoint', 'done']));
    expect(existsSync(join(out, 'latest'))).toBe(true);
  });

  it('predicts a synthetic clip from the run folder (--json)', async () => {
    const io = captureIo();
    const r = await runPredict({ checkpoint: runDir, synthetic: 3, json: true, io });
    const parsed = JSON.parse(io.stdout[0]);
    expect(parsed.predicted).toBe(r.predicted);
    const total = Object.values(r.probabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 4);
    expect(Object.keys(r.probabilities)).toHaveLength(7);
    expect(r.label).toBeDefined();
  });

  it('evaluates a checkpoint with the run config', async () => {
    const io = captureIo();
    const r = await runEval({ checkpoint: join(out, 'latest'), json: true, io });
    expect(r.kfold).toBeUndefined();
    expect(!r.kfold && r.count).toBe(7);
    expect(JSON.parse(io.stdout[0]).confusion).toHaveLength(7);
  });

  it('draws the soft masks to a PNG', async () => {
    const png = join(out, 'masks.png');
    const r = await runVisualize({ checkpoint: runDir, synthetic: 0, out: png, io: captureIo() });
    const meta = await sharp(r.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.height).toBeGreaterThan(4 * 32);
  });

  it('names a missing checkpoint and a bad input', async () => {
    await expect(runPredict({ checkpoint: join(out, 'nope'), synthetic: 0, io: captureIo() })).rejects.toThrow(/does not exist/);
    await expect(runPredict({ checkpoint: runDir, input: join(out, 'none.mp4'), io: captureIo() })).rejects.toThrow(/does not exist/);
    await expect(runPredict({ checkpoint: runDir, synthetic: 99, io: captureIo() })).rejects.toThrow(/clips 0\.\.6/);
  });
});

describe('interrupt and resume', () => {
  it('stops mid-epoch with a checkpoint and --resume reproduces the uninterrupted weights exactly', async () => {
    const cfg = (name: string) =>
      small(name, { train: { epochs: 2, batchSize: 2, lr: 1e-3, warmupEpochs: 0 }, output: { dir: out, name, plots: false } });
    const straight = await runTrain({ overrides: cfg('straight'), io: captureIo() });

    const ctl = new AbortController();
    const io = captureIo();
    let steps = 0;
    const orig = io.out;
    io.out = (line) => {
      orig(line);
      const e = JSON.parse(line);
      if (e.type === 'step' && ++steps === 3) ctl.abort();
    };
    const cut = await runTrain({ overrides: cfg('cut'), json: true, signal: ctl.signal, io });
    expect(cut.aborted).toBe(true);
    const state = decodeTrainState(new Uint8Array(await readFile(join(cut.runDir, 'checkpoint-last.safetensors'))));
    expect([state.epoch, state.stepInEpoch, state.step]).toEqual([0, 3, 3]);

    // Through the runs/latest link, as a user would type it.
    const resumed = await runTrain({ resume: join(out, 'latest'), io: captureIo() });
    expect(resumed.runDir).toBe(cut.runDir);
    expect(resumed.aborted).toBe(false);
    const a = await readFile(join(straight.runDir, 'model.safetensors'));
    const b = await readFile(join(resumed.runDir, 'model.safetensors'));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});

describe('bad input', () => {
  it('rejects unknown keys with did-you-mean and wrong types, naming the key', async () => {
    await expect(runTrain({ overrides: { train: { epoch: 2 } }, io: captureIo() })).rejects.toThrow(
      /unknown key 'train.epoch'; did you mean 'train.epochs'/,
    );
    await expect(runTrain({ overrides: { train: { batchSize: 'big' } }, io: captureIo() })).rejects.toThrow(/key 'train.batchSize'/);
    await expect(runTrain({ overrides: { backend: 'quantum', output: { dir: out } }, io: captureIo() })).rejects.toThrow(
      /unknown backend 'quantum'/,
    );
  });
  it('names a missing dataset root', async () => {
    await expect(
      runTrain({
        overrides: { data: { name: 'dfew', root: join(out, 'no-dfew'), fold: 1 }, output: { dir: out, name: 'x' } },
        io: captureIo(),
      }),
    ).rejects.toThrow(/dataset root '.*no-dfew' does not exist/);
    await expect(runTrain({ overrides: { data: { name: 'dfew' }, output: { dir: out, name: 'y' } }, io: captureIo() })).rejects.toThrow(
      /needs a root folder/,
    );
    await expect(runDatasetsCheck({ name: 'dfew', root: join(out, 'no-dfew'), io: captureIo() })).rejects.toThrow(/no-dfew/);
  });
  it('derives dataset messages from the registry: unknown names, folds and roots a dataset does not take', async () => {
    const none = join(out, 'never-created');
    const run = (data: Record<string, unknown>) => runTrain({ overrides: { data, output: { dir: none, name: 'x' } }, io: captureIo() });
    await expect(run({ name: 'dfw' })).rejects.toThrow(
      /unknown dataset 'dfw'; did you mean 'dfew'\? Known datasets: dfew, ferv39k, folder, list, mafw, synthetic/,
    );
    await expect(run({ name: 'dfw' })).rejects.not.toThrow(/needs a root folder|Import/);
    await expect(run({ name: 'synthetic', fold: 9 })).rejects.toThrow("dataset 'synthetic' has no folds: remove --fold (data.fold)");
    await expect(run({ name: 'synthetic', root: out })).rejects.toThrow(/reads no folder: remove --root/);
    await expect(run({ name: 'dfew', root: out, fold: 9 })).rejects.toThrow(/dataset 'dfew' has folds 1\.\.5: --fold 9 is not one of them/);
    await expect(run({ name: 'dfew', root: out })).rejects.toThrow(/has 5 folds: pass --fold 1\.\.5 \(or --fold all/);
    expect(existsSync(none)).toBe(false); // checked before a run folder exists
    await expect(runDatasetsCheck({ name: 'dfwe', root: out, io: captureIo() })).rejects.toThrow(/did you mean 'dfew'/);
    const io = captureIo();
    const listed = runDatasetsList({ io });
    expect(listed.find((d) => d.name === 'mafw')?.folds).toEqual([1, 2, 3, 4, 5]);
    expect(io.stdout.join('\n')).toMatch(/dfew\s+--root <dir>, --fold 1\.\.5\|all/);
  });
});

describe('datasets check', () => {
  it('counts a (small, written) DFEW copy per fold and split, flags it incomplete, and lists a missing clip', async () => {
    const { writeDfewLayout } = await import('@adatosk/datasets');
    const root = join(out, 'dfew');
    const manifest = await writeDfewLayout(root, { clipsPerClass: 1, size: 16 });
    const { rm } = await import('node:fs/promises');
    const gone = manifest.clips[0];
    await rm(join(root, 'Clip', 'clip_224x224', gone.id), { recursive: true, force: true });
    const io = captureIo();
    const prev = process.exitCode;
    const r = await runDatasetsCheck({ name: 'dfew', root, json: true, io });
    process.exitCode = prev;
    expect(r.ok).toBe(false); // 7 clips are not the published 11,697
    expect(r.splits).toHaveLength(10);
    expect(r.clips.missing.map((m) => m.id)).toContain(gone.id);
    expect(JSON.parse(io.stdout[0]).dataset).toBe('dfew');
    const human = captureIo();
    await runDatasetsCheck({ name: 'dfew', root, io: human });
    process.exitCode = prev;
    expect(human.stdout.join('\n')).toMatch(/PROBLEMS FOUND[\s\S]*missing: /);
  });

  it('trains one fold of a DFEW-layout copy through the same command', async () => {
    const { writeDfewLayout } = await import('@adatosk/datasets');
    const root = join(out, 'dfew-full');
    await writeDfewLayout(root, { clipsPerClass: 3, size: 16 });
    const r = await runTrain({
      overrides: small('dfew-fold1', { data: { name: 'dfew', root, fold: 1 }, train: { epochs: 1, batchSize: 4, warmupEpochs: 0 } }),
      io: captureIo(),
    });
    expect(r.metrics!.count).toBeGreaterThan(0);
    const saved = JSON.parse(await readFile(join(r.runDir, 'run.json'), 'utf8'));
    expect(saved.classes).toEqual(['Happy', 'Sad', 'Neutral', 'Angry', 'Surprise', 'Disgust', 'Fear']);
    expect(saved.fold).toBe(1);

    const io = captureIo();
    const kf = await runTrain({
      overrides: small('dfew-kfold', {
        data: { name: 'dfew', root, fold: 'all' },
        train: { epochs: 1, batchSize: 4, warmupEpochs: 0 },
        output: { dir: out, name: 'dfew-kfold', plots: false },
      }),
      io,
    });
    expect(kf.kfold!.war.mean).toBeGreaterThanOrEqual(0);
    expect(io.stdout.join('\n')).toMatch(/k-fold: UAR \d+\.\d+ ± \d+\.\d+ {2}WAR .*\(5 folds\)/);
    const summary = JSON.parse(await readFile(join(kf.runDir, 'kfold.json'), 'utf8'));
    expect(summary.folds.map((f: { fold: number }) => f.fold)).toEqual([1, 2, 3, 4, 5]);

    // eval --fold all: each fold's checkpoint on its own test split, mean and spread as training reported them.
    const evIo = captureIo();
    const ev = await runEval({ checkpoint: kf.runDir, overrides: { data: { fold: 'all' } }, io: evIo });
    expect(ev.kfold!.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4, 5]);
    expect(ev.kfold!.war.mean).toBeCloseTo(kf.kfold!.war.mean, 6);
    expect(ev.kfold!.uar.mean).toBeCloseTo(kf.kfold!.uar.mean, 6);
    expect(evIo.stdout.join('\n')).toMatch(/k-fold: UAR \d+\.\d+ ± \d+\.\d+ {2}WAR .*\(5 folds\)/);
    // One fold of the k-fold run folder, by number.
    const one = await runEval({ checkpoint: kf.runDir, overrides: { data: { fold: 2 } }, io: captureIo() });
    expect(!one.kfold && one.fold).toBe(2);
    expect(!one.kfold && one.war).toBeCloseTo(kf.kfold ? ev.kfold!.folds[1]!.metrics.war : NaN, 6);
    // A plain run folder has no folds to evaluate.
    await expect(runEval({ checkpoint: r.runDir, overrides: { data: { fold: 'all' } }, io: captureIo() })).rejects.toThrow(
      /has no fold folders/,
    );
  });
});

describe('info, bench, help', () => {
  it('info lists versions, backends and the platform', async () => {
    const io = captureIo();
    const r = await runInfo({ backend: 'wasm', json: true, io });
    expect(r.versions['@adatosk/core']).toBe('0.1.0');
    expect(r.versions['@tensorflow/tfjs-core']).toMatch(/^4\./);
    expect(r.backendInUse).toBe('wasm');
    expect(r.backends.find((b) => b.name === 'wasm')?.available).toBe(true);
    expect(JSON.parse(io.stdout[0]).platform.cpus).toBeGreaterThan(0);
  });
  it('bench reports throughput, FLOPs, parameters and memory', async () => {
    const io = captureIo();
    const r = await runBench({ preset: 'tiny', backend: 'wasm', steps: 1, batchSize: 2, json: true, io });
    expect(r.train.clipsPerSec).toBeGreaterThan(0);
    expect(r.inference.clipsPerSec).toBeGreaterThan(0);
    expect(r.gflops.full).toBeGreaterThan(r.gflops.adatosk);
    expect(r.params.total).toBeGreaterThan(r.params.encoder);
    expect(r.memory.peakRssMiB).toBeGreaterThan(0);
    expect(r.train.error).toBeUndefined();
    expect(r.train.steps).toBe(1);
    expect(r.memory.peakTensorMiB).toBeGreaterThan(0); // measured inside the steps (tf.profile)
    expect(r.memory.wasmHeapMiB).toBeGreaterThanOrEqual(r.memory.peakTensorMiB);
    expect(JSON.parse(io.stdout[0]).preset).toBe('tiny');
  });
  it('main() prints help, and returns 2 for an unknown command', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(await main(['train', '--help'])).toBe(0);
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string) => {
      printed += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(await main(['datasets', 'check', '--help'])).toBe(0);
      expect(await main(['eval', '--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(printed).toMatch(/adatosk datasets check/);
    expect(printed).toMatch(/adatosk eval/);
    expect(printed).not.toMatch(/adatosk check/);
    expect(await main(['trian'])).toBe(2);
  });
});
