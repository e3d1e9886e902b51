// `adatosk pretrain`, `adatosk train --init` and `adatosk ablate` in-process, on a very small model and dataset.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '@adatosk/core';
import { captureIo } from '../src/io.js';
import { runTrain } from '../src/commands/train.js';
import { runPretrain } from '../src/pretrain/run.js';
import { findClips } from '../src/pretrain/videos.js';
import { readInitWeights } from '../src/pretrain/init.js';
import { pretrainFlags } from '../src/commands/pretrain.js';
import { claimRun, runAblation, DOC_BEGIN, DOC_END } from '../src/ablate/ablation.js';
import { loadSuite, profileOf, variantConfig } from '../src/ablate/suite.js';
import { buildTable, spread, tableMarkdown } from '../src/ablate/table.js';
import type { RunRecord } from '../src/ablate/run.js';
import { SYNTHETIC_KEY_MOMENT } from '@adatosk/datasets';
import { countAdaToskFlops, resolveConfig } from '@adatosk/core';
import { QUICK_START_TRAIN, QUICKSTART_ADATOSK, QUICKSTART_PRESET, SYNTHETIC_DATA } from '../src/config/quickstart.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'adatosk-method-'));
});

const model = {
  preset: 'tiny',
  overrides: {
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 2,
    intermediateSize: 64,
    numFrames: 4,
    imageSize: 32,
    patchSize: 8,
    decoderHiddenSize: 32,
    decoderNumHeads: 2,
    decoderIntermediateSize: 64,
  },
};
const small = (name: string, extra: Record<string, unknown> = {}) => ({
  model,
  data: { trainClips: 14, testClips: 7 },
  train: { epochs: 1, batchSize: 7, lr: 1e-3, warmupEpochs: 0 },
  output: { dir: out, name, plots: false },
  backend: 'wasm',
  ...extra,
});

describe('adatosk pretrain -> train --init', () => {
  let pretrainDir: string;
  it('pre-trains with a 90% tube mask, writes resumable checkpoints and encoder+decoder weights', async () => {
    const io = captureIo();
    const r = await runPretrain({ overrides: small('pre'), io });
    pretrainDir = r.runDir;
    expect(r.aborted).toBe(false);
    expect(r.loss).toBeGreaterThan(0);
    expect(io.stderr.join('\n')).toMatch(/90% of each clip hidden \(tube\)/);
    expect(io.stdout.join('\n')).toMatch(/fine-tune with: adatosk train --init/);
    const weights = readSafetensors(new Uint8Array(await readFile(r.weights!)), 'weights');
    const names = [...weights.tensors.keys()];
    expect(names.some((n) => n.startsWith('decoder.'))).toBe(true);
    expect(names.some((n) => n.startsWith('classifier.') || n.startsWith('fc_norm.'))).toBe(false);
    expect(existsSync(join(r.runDir, 'checkpoint-last.safetensors'))).toBe(true);
  });

  it('resumes a pre-training run and refuses a classification checkpoint', async () => {
    const io = captureIo();
    const r = await runPretrain({ resume: pretrainDir, overrides: { train: { epochs: 2 } }, json: true, io });
    const events = io.stdout.map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'start', resumedFrom: { epoch: 1 } });
    expect(events.at(-1)).toMatchObject({ type: 'result', aborted: false });
    expect(r.weights).toBeDefined();
    const trained = await runTrain({ overrides: small('plain'), io: captureIo() });
    await expect(runPretrain({ resume: trained.runDir, io: captureIo() })).rejects.toThrow(
      /not a checkpoint of 'adatosk pretrain'.*adatosk train --resume/,
    );
  });

  it('fine-tunes from the pre-trained run folder or its checkpoint (the classifier starts fresh)', async () => {
    const io = captureIo();
    const r = await runTrain({ overrides: { ...small('ft'), model: { ...model, pretrained: pretrainDir } }, io, json: true });
    expect(r.metrics!.count).toBe(7);
    const result = JSON.parse(io.stdout.at(-1)!);
    expect(result.gflops.inference).toBeGreaterThan(0);
    expect(result.gflops.full).toBeGreaterThanOrEqual(result.gflops.inference);
    // a checkpoint of the pre-training run converts to weights without its classifier
    const init = await readInitWeights(join(pretrainDir, 'checkpoint-last.safetensors'));
    expect([...readSafetensors(init.bytes, 'x').tensors.keys()].some((n) => n.startsWith('classifier.'))).toBe(false);
    await expect(readInitWeights(join(out, 'nope'))).rejects.toThrow(/does not exist/);
  });

  it('pre-trains on a folder of frame folders (any depth), with a clear error for an empty one', async () => {
    const root = join(out, 'videos');
    for (const clip of ['a/one', 'a/two', 'b/c/three']) {
      await mkdir(join(root, clip), { recursive: true });
      for (let f = 0; f < 4; f++) {
        const px = Buffer.alloc(32 * 32 * 3, (f * 40 + clip.length * 7) % 255);
        await sharp(px, { raw: { width: 32, height: 32, channels: 3 } })
          .png()
          .toFile(join(root, clip, `${f}.png`));
      }
    }
    expect((await findClips(root)).map((e) => e.id)).toEqual(['a/one', 'a/two', 'b/c/three']);
    const io = captureIo();
    const r = await runPretrain({
      overrides: small('pre-videos', { train: { epochs: 1, batchSize: 3, lr: 1e-3, warmupEpochs: 0 } }),
      videos: root,
      io,
    });
    expect(r.clips).toBe(3);
    expect(r.weights).toBeDefined();
    await mkdir(join(out, 'empty'), { recursive: true });
    await expect(runPretrain({ overrides: small('pre-empty'), videos: join(out, 'empty'), io: captureIo() })).rejects.toThrow(
      /holds no clips/,
    );
  });

  it('maps pretrain flags to config keys', () => {
    expect(pretrainFlags({ epochs: '3', preset: 'tiny', init: 'runs/x', set: ['train.lr=1e-4'] })).toEqual({
      model: { preset: 'tiny', pretrained: 'runs/x' },
      train: { epochs: 3, lr: 1e-4 },
    });
  });
});

describe('adatosk ablate', () => {
  let suiteFile: string;
  beforeAll(async () => {
    const dir = join(out, 'suite');
    await mkdir(join(dir, 'variants'), { recursive: true });
    const base = {
      model: { ...model, adatosk: { objective: 'classify', rhoHInfer: 0, hardMask: { name: 'hard-random', options: { mode: 'none' } } } },
      data: { name: 'synthetic', trainClips: 14, testClips: 7, options: { activeSpan: [0.2, 0.3] } },
      train: { epochs: 1, batchSize: 7, lr: 1e-3, warmupEpochs: 0 },
      eval: { batchSize: 7 },
      backend: 'wasm',
    };
    await writeFile(
      join(dir, 'suite.json'),
      JSON.stringify({
        reference: 'full',
        base,
        profiles: { quick: { seeds: [0, 1], config: { train: { epochs: 1 } } }, full: { seeds: [0, 1, 2] } },
        variants: ['variants/full.json', 'variants/ca.json', 'variants/random.json'],
        comparisons: [{ method: 'ca', baselines: ['random'] }],
      }),
    );
    const v = (name: string, adatosk: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      writeFile(join(dir, 'variants', `${name}.json`), JSON.stringify({ name, description: `${name} row`, model: { adatosk }, ...extra }));
    await v('full', { rhoS: 1, pooling: 'mean' });
    await v('ca', { rhoS: 0.25, selectAtLayer: 1, softMask: { name: 'class-agnostic-dynamic' } });
    await v('random', { rhoS: 0.25, selectAtLayer: 1, pooling: 'mean', softMask: { name: 'random-select' } });
    await v('pre', { rhoS: 0.25, selectAtLayer: 1, softMask: { name: 'class-agnostic-dynamic' } }, { pretrain: { epochs: 1 } });
    // a user's own mask, loaded as a plugin relative to the variant file
    await v(
      'mine',
      { rhoS: 0.25, selectAtLayer: 0, softMask: { name: 'pixel-motion' } },
      { plugins: [resolve('docs/examples/my-mask-plugin/index.ts')] },
    );
    await v('bad', { rhoS: 0.5 }, { train: { epochs: 9 } });
    await v('hidesNothing', { rhoH: 0.5, rhoHInfer: 0.5, rhoS: 1 });
    await v('hides', { rhoH: 0.5, rhoHInfer: 0.5, rhoS: 1, hardMask: { name: 'hard-random', options: { mode: 'tube' } } });
    suiteFile = join(dir, 'suite.json');
  });

  it('builds each row from the base, the profile and the variant (masks replaced whole, budget shared)', async () => {
    const suite = await loadSuite(suiteFile);
    const cfg = variantConfig(suite, profileOf(suite, 'quick'), suite.variants[2]!, 1);
    expect(cfg.train).toMatchObject({ epochs: 1, seed: 1, batchSize: 7 });
    expect(cfg.model.adatosk).toMatchObject({ objective: 'classify', rhoS: 0.25, softMask: { name: 'random-select' } });
    await expect(loadSuite(suiteFile, [join(out, 'suite/variants/bad.json')])).rejects.toThrow(
      /train\.epochs is part of the shared budget/,
    );
    await expect(loadSuite(suiteFile, [join(out, 'suite/variants/ca.json')])).rejects.toThrow(/'ca' is used twice/);
    expect(() => profileOf(suite, 'huge')).toThrow(/no profile 'huge'; profiles: quick, full/);
    // a row that asks for a hard mask but inherits the base's `mode: none` would train another row quietly
    const masked = await loadSuite(suiteFile, [join(out, 'suite/variants/hidesNothing.json'), join(out, 'suite/variants/hides.json')]);
    const quick = profileOf(masked, 'quick');
    expect(() => variantConfig(masked, quick, masked.variants[3]!, 0)).toThrow(
      /hidesNothing\.json: rhoH 0\.5 hides nothing, because the hard mask it inherits from .*suite\.json has mode 'none'; set model\.adatosk\.hardMask/,
    );
    expect(variantConfig(masked, quick, masked.variants[4]!, 0).model.adatosk).toMatchObject({
      rhoH: 0.5,
      hardMask: { options: { mode: 'tube' } },
    });
  });

  it('trains every variant and seed, writes table, JSON and plot, and reuses finished runs', async () => {
    const doc = join(out, 'results.md');
    await writeFile(doc, `# Results\n\n${DOC_BEGIN}\nold\n${DOC_END}\n\nafter\n`);
    const io = captureIo();
    const dir = join(out, 'ablation');
    const r = await runAblation({
      suite: suiteFile,
      profile: 'quick',
      out: dir,
      doc,
      io,
      variants: [join(out, 'suite/variants/pre.json'), join(out, 'suite/variants/mine.json')],
    });
    expect(r.ran).toBe(10);
    expect(r.table.rows.map((x) => x.name)).toEqual(['full', 'ca', 'random', 'pre', 'mine']);
    const full = r.table.rows[0]!;
    expect(full.gflopsRatio).toBe(1);
    expect(full.apex).toBeUndefined();
    for (const row of r.table.rows.slice(1)) {
      expect(row.gflopsRatio).toBeLessThan(1);
      expect(row.seeds).toEqual([0, 1]);
      expect(row.tokens.kept).toBeLessThan(row.tokens.visible);
      expect(row.apex!.chance).toBeGreaterThan(0);
    }
    expect(r.table.rows[3]!.pretrainSeconds).toBeGreaterThan(0);
    expect(r.table.comparisons).toEqual([expect.objectContaining({ method: 'ca', baseline: 'random', sameCost: true })]);
    for (const f of Object.values(r.files)) expect(existsSync(f)).toBe(true);
    const md = await readFile(r.files.markdown, 'utf8');
    expect(md).toMatch(/\| variant \| UAR \(%\) \| WAR \(%\)/);
    expect(await readFile(doc, 'utf8')).toMatch(new RegExp(`${DOC_BEGIN}\\n\\| variant[\\s\\S]*${DOC_END}\\n\\nafter`));
    const again = await runAblation({ suite: suiteFile, profile: 'quick', out: dir, io: captureIo(), only: ['ca'] });
    expect(again.ran).toBe(0);
    expect(again.reused).toBe(2);
    expect(again.table.rows.map((x) => x.name)).toEqual(['full', 'ca', 'random']);
  });
});

describe('the committed ablation suite (configs/ablation)', () => {
  it('loads, and every row of every profile is a valid run on the key-moment data (>= 8 slots x 36 tokens)', async () => {
    const suite = await loadSuite('configs/ablation/suite.yaml');
    expect(suite.variants.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'full-token',
        'hard-only',
        'random',
        'uniform',
        'class-agnostic',
        'class-semantic',
        'combined',
        'joint',
        'pretrained',
      ]),
    );
    for (const name of Object.keys(suite.profiles)) {
      const profile = profileOf(suite, name);
      expect(profile.seeds.length).toBeGreaterThanOrEqual(3);
      for (const v of suite.variants) {
        const cfg = variantConfig(suite, profile, v, 0);
        expect(cfg.data.options).toMatchObject({ ...SYNTHETIC_KEY_MOMENT });
        // at least 8 temporal slots and 36 tokens per slot
        const m = resolveConfig(cfg.model.preset, cfg.model.overrides as never);
        expect(m.numFrames / m.tubeletSize).toBeGreaterThanOrEqual(8);
        expect((m.imageSize / m.patchSize) ** 2).toBeGreaterThanOrEqual(36);
      }
    }
    // the full profile (docs/results.md's key-moment table): fresh clips, and every row on one backbone, data and budget
    const full = profileOf(suite, 'full');
    const row = (n: string) => variantConfig(suite, full, suite.variants.find((v) => v.name === n)!, 0);
    const ca = row('class-agnostic');
    expect(ca.data.options).toMatchObject({ resample: true });
    for (const v of suite.variants) {
      const r = row(v.name);
      expect(r.model.preset).toBe(ca.model.preset);
      expect(r.model.overrides).toEqual(ca.model.overrides);
      expect(r.data).toEqual(ca.data);
      expect(r.train).toEqual(ca.train);
    }
    // the rows compared with the random and uniform baselines cost the same, and selection saves at least half
    const m = resolveConfig(ca.model.preset, ca.model.overrides as never);
    const cost = (n: string) => {
      const a = row(n).model.adatosk as Record<string, number>;
      return countAdaToskFlops(m, { rhoHInfer: a.rhoHInfer, rhoS: a.rhoS, selectAtLayer: a.selectAtLayer }).adatosk.flops;
    };
    for (const c of suite.comparisons) for (const b of c.baselines) expect(cost(c.method)).toBe(cost(b));
    expect(cost('class-agnostic')).toBeLessThan(0.5 * cost('full-token'));
  });
});

describe('the quick-start ablation suite (configs/ablation/quickstart-suite.yaml)', () => {
  it("is the quick start's model, data and budget, and its rows differ only in the token selection, at one cost", async () => {
    const suite = await loadSuite('configs/ablation/quickstart-suite.yaml');
    expect(suite.variants.map((v) => v.name)).toEqual([
      'full-token',
      'class-agnostic',
      'random',
      'uniform',
      'hard-only',
      'class-semantic',
      'combined',
      'class-semantic-layer1',
      'class-semantic-label-layer1',
      'combined-expected',
      'hard-select',
      'joint',
      'pretrained',
    ]);
    const full = profileOf(suite, 'full');
    expect(full.seeds.length).toBeGreaterThanOrEqual(3);
    const row = (n: string) => variantConfig(suite, full, suite.variants.find((v) => v.name === n)!, 0);
    const ca = row('class-agnostic');
    expect(ca.model.preset).toBe(QUICKSTART_PRESET);
    expect(ca.model.adatosk).toMatchObject(QUICKSTART_ADATOSK);
    expect(ca.data.options).toEqual(SYNTHETIC_DATA);
    const { evalEvery: _quickStartEval, ...budget } = QUICK_START_TRAIN;
    expect(ca.train).toMatchObject(budget);
    for (const n of suite.variants.map((v) => v.name)) {
      const r = row(n);
      expect(r.data).toEqual(ca.data);
      expect(r.train).toEqual(ca.train);
    }
    const flops = (n: string) => {
      const a = row(n).model.adatosk as Record<string, number>;
      return countAdaToskFlops(resolveConfig(QUICKSTART_PRESET as never), {
        rhoHInfer: a.rhoHInfer,
        rhoS: a.rhoS,
        selectAtLayer: a.selectAtLayer,
      }).adatosk.flops;
    };
    for (const c of suite.comparisons) for (const b of c.baselines) expect(flops(b)).toBe(flops(c.method));
    for (const n of ['random', 'uniform', 'class-semantic', 'combined', 'pretrained']) expect(flops(n)).toBe(flops('class-agnostic'));
    // joint keeps as many tokens, but the hidden half is not embedded either; hard-only keeps half
    expect(flops('joint')).toBeLessThan(flops('class-agnostic'));
    expect(row('joint').model.adatosk).toMatchObject({ objective: 'joint', hardMask: { options: { mode: 'tube' } } });
    // joint against classify: the same selection, only the objective differs
    const { objective: _joint, lambda: _lambda, ...jointSelection } = row('joint').model.adatosk as Record<string, unknown>;
    const { objective: _classify, ...classifySelection } = row('hard-select').model.adatosk as Record<string, unknown>;
    expect(classifySelection).toEqual(jointSelection);
    // ranked after the (only) layer: no compute saved, so the row shows the mask's choice alone
    expect(flops('class-semantic-layer1')).toBeGreaterThan(0.99 * flops('full-token'));
    expect(flops('hard-only')).toBeLessThanOrEqual(0.55 * flops('full-token'));
    expect(flops('class-agnostic')).toBeLessThan(0.5 * flops('full-token'));
  });
});

describe('ablate processes sharing one folder', () => {
  it('claims a run once: a live holder keeps it, a dead one loses it', async () => {
    const dir = join(out, 'locks-test');
    const release = await claimRun(dir, 'row-0-abc');
    expect(release).toBeDefined();
    // held by a live process (the test runner's parent): not ours to take
    await writeFile(join(dir, 'locks', 'row-1-abc.lock'), String(process.ppid));
    expect(await claimRun(dir, 'row-1-abc')).toBeUndefined();
    // held by a process that is gone: taken over
    await writeFile(join(dir, 'locks', 'row-2-abc.lock'), '2147483646');
    const taken = await claimRun(dir, 'row-2-abc');
    expect(taken).toBeDefined();
    await release!();
    await taken!();
    expect(existsSync(join(dir, 'locks', 'row-0-abc.lock'))).toBe(false);
  });
});

describe('ablation table', () => {
  it('takes mean and sample std over seeds, and compares rows by WAR against the spread', async () => {
    expect(spread([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(spread([5])).toEqual({ mean: 5, std: 0 });
    const suite = await loadSuite(join(out, 'suite/suite.json'));
    const rec = (variant: string, seed: number, war: number, gflops: number): RunRecord => ({
      variant,
      seed,
      key: 'k',
      uar: war,
      war,
      gflops,
      fullGflops: 1,
      tokens: { total: 8, visible: 8, kept: 2 },
      clipsPerSec: 10,
      cpuMsPerClip: 1,
      trainSeconds: 1,
      trainCpuSeconds: 1,
      epochs: 1,
      backend: 'cpu',
    });
    const t = buildTable(
      suite,
      'quick',
      [
        rec('full', 0, 0.9, 1),
        rec('full', 1, 0.92, 1),
        rec('ca', 0, 0.9, 0.4),
        rec('ca', 1, 0.9, 0.4),
        rec('random', 0, 0.8, 0.4),
        rec('random', 1, 0.84, 0.4),
      ],
      { backend: 'cpu', date: 'today', note: '' },
    );
    expect(t.rows.find((r) => r.name === 'ca')!.warGap).toBeCloseTo(-1, 6);
    expect(t.comparisons[0]).toMatchObject({ method: 'ca', baseline: 'random', sameCost: true, beyondSpread: true });
    expect(t.comparisons[0]!.warDiff).toBeCloseTo(8, 6);
    expect(tableMarkdown(t)).toContain('| ca | 90.0 ± 0.0 | 90.0 ± 0.0 | -1.0 | 0.4000 | 0.40x | 8 → 2 |');
  });
});
