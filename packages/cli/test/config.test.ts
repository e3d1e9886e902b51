import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../src/config/load.js';
import { setOverrides } from '../src/args.js';
import { trainFlags } from '../src/commands/train.js';
import {
  adaToskOptionsOf,
  costLines,
  isDefaultQuickStart,
  quickStartNotes,
  QUICKSTART_ADATOSK,
  SYNTHETIC_DATA,
} from '../src/config/quickstart.js';
import { presetNames } from '@adatosk/core';

describe('config', () => {
  it("has quick-start defaults: core's quickstart preset on the synthetic dataset, auto backend", () => {
    const c = validateConfig({});
    expect(c.model.preset).toBe('quickstart');
    // every core preset is a valid model.preset, and means core's model
    for (const p of presetNames) expect(validateConfig({ model: { preset: p } }).model.preset).toBe(p);
    expect(c.data.name).toBe('synthetic');
    expect(c.backend).toBe('auto');
    expect(c.output.dir).toBe('runs');
  });
  it('rejects an unknown key with a did-you-mean naming the full key', () => {
    expect(() => validateConfig({ train: { learningRate: 1 } })).toThrow(/unknown key 'train.learningRate'/);
    expect(() => validateConfig({ train: { epoch: 3 } })).toThrow(/did you mean 'train.epochs'\?/);
    expect(() => validateConfig({ trian: {} })).toThrow(/did you mean 'train'\?/);
  });
  it('names the key of a wrong type and says how to fix it', () => {
    expect(() => validateConfig({ train: { epochs: 'many' } })).toThrow(/key 'train.epochs'.*number/);
    expect(() => validateConfig({ model: { preset: 'huge' } })).toThrow(/key 'model.preset'.*tiny/);
  });
  it('merges a YAML file under flags and reports bad files by path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adatosk-cfg-'));
    const file = join(dir, 'run.yaml');
    await writeFile(file, 'train:\n  epochs: 3\n  lr: 0.01\ndata:\n  trainClips: 70\n');
    const c = await loadConfig(file, { train: { lr: 0.5 } });
    expect(c.train.epochs).toBe(3);
    expect(c.train.lr).toBe(0.5);
    expect(c.data.trainClips).toBe(70);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'train:\n  epochs: [\n');
    await expect(loadConfig(bad, {})).rejects.toThrow(/bad.yaml.*not valid YAML/);
    await writeFile(join(dir, 'x.json'), '{"data": {"nmae": "dfew"}}');
    await expect(loadConfig(join(dir, 'x.json'), {})).rejects.toThrow(/x.json: invalid configuration[\s\S]*did you mean 'data.name'/);
    await expect(loadConfig(join(dir, 'missing.yaml'), {})).rejects.toThrow(/cannot be read/);
  });
  it('maps flags and --set to config keys', () => {
    expect(setOverrides(['train.lr=1e-3', 'data.options={"stride":2}', 'output.plots=false'])).toEqual({
      train: { lr: 0.001 },
      data: { options: { stride: 2 } },
      output: { plots: false },
    });
    expect(() => setOverrides(['oops'])).toThrow(/key=value/);
    const f = trainFlags({ epochs: '2', 'batch-size': '4', dataset: 'dfew', fold: 'all', set: ['train.seed=3'], plugin: './p.mjs' });
    expect(f).toEqual({ data: { name: 'dfew', fold: 'all' }, train: { epochs: 2, batchSize: 4, seed: 3 }, plugins: ['./p.mjs'] });
    expect(() => trainFlags({ epochs: 'x' })).toThrow(/--epochs 'x' is not a number/);
  });
  it('reports every way the quick start departs from the SPEC and the generator, and nothing when it does not', () => {
    const notes = quickStartNotes(validateConfig({})).join('\n');
    expect(notes).not.toMatch(/preset/);
    for (const k of ['objective', 'rhoH', 'rhoS', 'lambda', 'semanticTarget']) {
      const v = QUICKSTART_ADATOSK[k];
      if (v !== undefined && v !== { objective: 'joint', rhoH: 0.5, rhoS: 0.5, lambda: 1, semanticTarget: 'label' }[k])
        expect(notes).toContain(`${k} ${v} (not `);
    }
    if (QUICKSTART_ADATOSK.selectAtLayer !== undefined)
      expect(notes).toContain(`selectAtLayer ${QUICKSTART_ADATOSK.selectAtLayer} (not the last layer)`);
    const generator: Record<string, unknown> = { jitter: 1, lighting: 1, clutter: 6, noise: 0.02, distractors: true };
    for (const [k, v] of Object.entries(generator)) {
      if (k in SYNTHETIC_DATA && SYNTHETIC_DATA[k] !== v) expect(notes).toContain(`${k} ${SYNTHETIC_DATA[k]} (not ${v})`);
      else expect(notes).not.toContain(`${k} ${v} (not`);
    }
    const faithful = validateConfig({
      model: {
        adatosk: {
          objective: 'joint',
          rhoH: 0.5,
          rhoHInfer: 0.5,
          rhoS: 0.5,
          lambda: 1,
          semanticTarget: 'label',
          selectAtLayer: undefined,
          softMask: { name: 'combined' },
        },
      },
      data: { options: { activeSpan: [0.25, 0.45], jitter: 1, lighting: 1, clutter: 6, noise: 0.02, repeatProb: 0.1, distractors: true } },
    });
    // the quick start's selectAtLayer stays unless overridden; a faithful config names every SPEC default
    expect(quickStartNotes({ ...faithful, model: { ...faithful.model, preset: 'tiny' } })).toEqual([]);
    // Other presets get the method's own options, and only synthetic data gets data notes.
    expect(quickStartNotes(validateConfig({ data: { name: 'dfew' }, model: { preset: 'small' } }))).toEqual([]);
    expect(adaToskOptionsOf(validateConfig({ model: { preset: 'tiny' } }))).toEqual({});
    expect(adaToskOptionsOf(validateConfig({ model: { adatosk: { rhoS: 0.3 } } }))).toEqual({ ...QUICKSTART_ADATOSK, rhoS: 0.3 });
  });

  it('says what inference costs next to the full-token model, and the accuracy gap only for the untouched quick start', () => {
    const cost = { inference: 0.004, full: 0.01, tokens: { total: 64, visible: 32, kept: 16 }, selectAtLayer: 1, numLayers: 2 };
    const [line] = costLines(cost, 0.9, false);
    expect(line).toMatch(
      /inference: 0\.00400 GFLOPs per clip \(soft-mask selection keeps 16 of 32 visible tokens after layer 1 of 2\); full-token model 0\.0100 GFLOPs \(0\.40x\)/,
    );
    expect(costLines(cost, 0.9, false)).toHaveLength(1);
    // The untouched quick start also compares its WAR with the full-token model's (measured: docs/results.md).
    expect(costLines(cost, 0.85, true)[1]).toMatch(
      /WAR 85\.00%, 4\.76 points below the full-token model trained with the same budget \(WAR 89\.76%/,
    );
    expect(costLines(cost, 0.92, true)[1]).toMatch(/WAR 92\.00%, matching the full-token model trained with the same budget/);
    const defaults = validateConfig({});
    expect(isDefaultQuickStart(defaults, defaults)).toBe(true);
    expect(isDefaultQuickStart(validateConfig({ train: { epochs: 2 } }), defaults)).toBe(false);
    expect(isDefaultQuickStart(validateConfig({ model: { adatosk: { rhoS: 1 } } }), defaults)).toBe(false);
  });
});

describe('repeatable flags', () => {
  it('collects every --set and --plugin, in both spellings, up to --', async () => {
    const { repeatedFlag } = await import('../src/args.js');
    const raw = ['train', '--set', 'train.lr=1e-3', '--set=train.epochs=2', '--plugin', './a.js', '--', '--set', 'x=1'];
    expect(repeatedFlag(raw, 'set')).toEqual(['train.lr=1e-3', 'train.epochs=2']);
    expect(repeatedFlag(raw, 'plugin')).toEqual(['./a.js']);
  });
});
