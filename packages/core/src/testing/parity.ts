import * as tf from '@tensorflow/tfjs-core';
import type { VideoMAEModel } from '../backbone/model.js';
import { loadModelSync } from '../checkpoint/load.js';
import { toHFLayout, permute } from '../checkpoint/layout.js';
import { decodeEntry, readSafetensors, type SafetensorsEntry } from '../checkpoint/safetensors.js';
import { softmaxCrossEntropy } from '../losses/crossEntropy.js';
import type { FixtureBytes } from './fixtures.js';
import { toLegacyCheckpoint } from './legacy.js';

export interface ParityTolerance {
  /** Max absolute error for every compared tensor (default 1e-4). */
  abs: number;
  /** Gradients: max error relative to the reference tensor's largest magnitude (default 1e-3). */
  rel: number;
}

export const DEFAULT_TOLERANCE: ParityTolerance = { abs: 1e-4, rel: 1e-3 };

export type ParityGroup =
  | 'embeddings'
  | 'last_hidden_state'
  | 'logits'
  | 'cls.loss'
  | 'cls.grad'
  | 'pretrain.loss'
  | 'pretrain.logits'
  | 'pretrain.grad';

export interface ParityResult {
  /** Which checkpoint layout was loaded. */
  variant: 'current' | 'legacy';
  group: ParityGroup;
  /** Fixture tensor name, e.g. `grad.cls.classifier.weight`. */
  name: string;
  maxAbsErr: number;
  /** Largest |reference| value. */
  maxRef: number;
  ok: boolean;
  /** Why it failed (empty when ok). */
  detail: string;
}

function compare(
  variant: ParityResult['variant'],
  group: ParityGroup,
  name: string,
  ours: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: ParityTolerance,
  gradient: boolean,
  scaleRef = 0,
): ParityResult {
  if (ours.length !== ref.length)
    return {
      variant,
      group,
      name,
      maxAbsErr: Infinity,
      maxRef: NaN,
      ok: false,
      detail: `${ours.length} values, reference has ${ref.length}`,
    };
  let err = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(ours[i] - ref[i]);
    if (!(e <= err)) err = Number.isNaN(e) ? Infinity : e;
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  const relLimit = tol.rel * Math.max(maxRef, scaleRef);
  const ok = err <= tol.abs && (!gradient || err <= relLimit);
  const detail = ok
    ? ''
    : err > tol.abs
      ? `max abs err ${err.toExponential(3)} > ${tol.abs}`
      : `max abs err ${err.toExponential(3)} > ${tol.rel} x max|ref| ${Math.max(maxRef, scaleRef).toExponential(3)}`;
  return { variant, group, name, maxAbsErr: err, maxRef, ok, detail };
}

/**
 * Compare a model's forward pass, losses and every gradient against HF's golden tensors. Pure
 * (no test runner): uses whatever tf backend is active. Checks the current checkpoint layout and,
 * unless `legacy: false`, the same checkpoints rewritten to the legacy layout (q_bias/v_bias, no
 * key bias) and loaded without the `videomae.` prefix.
 */
export async function runParityChecks(
  fixtures: FixtureBytes,
  options: { tolerance?: Partial<ParityTolerance>; legacy?: boolean } = {},
): Promise<ParityResult[]> {
  const tol = { ...DEFAULT_TOLERANCE, ...options.tolerance };
  const results: ParityResult[] = [];
  results.push(...(await checkVariant('current', fixtures.config, fixtures.classifier, fixtures.pretrain, fixtures.io, tol)));
  if (options.legacy !== false) {
    const cls = toLegacyCheckpoint(fixtures.classifier);
    const pre = toLegacyCheckpoint(fixtures.pretrain, { stripPrefix: true });
    results.push(...(await checkVariant('legacy', fixtures.config, cls, pre, fixtures.io, tol)));
  }
  return results;
}

async function checkVariant(
  variant: ParityResult['variant'],
  config: string,
  classifierBytes: Uint8Array,
  pretrainBytes: Uint8Array,
  ioBytes: Uint8Array,
  tol: ParityTolerance,
): Promise<ParityResult[]> {
  const io = readSafetensors(ioBytes, 'io.safetensors');
  const ref = (name: string) => {
    const e = io.tensors.get(name);
    if (!e) throw new Error(`io.safetensors has no tensor "${name}"`);
    return { data: decodeEntry(e), shape: e.shape };
  };
  const px = ref('pixel_values'); // HF [B, T, C, H, W]
  const [b, t, c, h, w] = px.shape as [number, number, number, number, number];
  const clipsData = permute(px.data as Float32Array, px.shape, [0, 1, 3, 4, 2]);
  const labels = Array.from(ref('labels').data);
  const mask = ref('bool_masked_pos');
  const out: ParityResult[] = [];
  const add = (group: ParityGroup, name: string, ours: ArrayLike<number>, gradient = false, scaleRef = 0) =>
    out.push(compare(variant, group, name, ours, ref(name).data, tol, gradient, scaleRef));

  const clips = tf.tensor(clipsData, [b, t, h, w, c], 'float32');
  let model: VideoMAEModel | undefined;
  try {
    // Classification model.
    model = loadModelSync(config, classifierBytes, { source: `classifier.safetensors (${variant})` });
    const m = model;
    // Async reads only: WebGPU has no (Node) or no reliable (headless Chromium) synchronous readback.
    const fwd = tf.tidy(() => {
      const e = m.embed(clips);
      const z = m.encode(e);
      return [e, z, m.classifierHead(m.pool(z))];
    });
    const [emb, last, logits] = await Promise.all(fwd.map((x) => x.data()));
    tf.dispose(fwd);
    add('embeddings', 'cls.embeddings', emb);
    add('last_hidden_state', 'cls.last_hidden_state', last);
    add('logits', 'cls.logits', logits);
    const clsGrads = tf.variableGrads(() => softmaxCrossEntropy(m.classify(clips).logits, labels), Object.values(m.variables));
    add('cls.loss', 'cls.loss', await clsGrads.value.data());
    await compareGrads(m, 'grad.cls.', clsGrads.grads, io.tensors, (name, ours, scale) => add('cls.grad', name, ours, true, scale));
    clsGrads.value.dispose();
    tf.dispose(clsGrads.grads);
    model.dispose();

    // Pre-training model.
    model = loadModelSync(config, pretrainBytes, { source: `pretrain.safetensors (${variant})` });
    const p = model;
    const maskData = { data: mask.data, shape: mask.shape };
    let predictionsT: tf.Tensor | undefined;
    const preGrads = tf.variableGrads(() => {
      const r = p.reconstruct(clips, maskData);
      predictionsT = tf.keep(r.predictions);
      return r.loss;
    }, Object.values(p.variables));
    const predictions = (await predictionsT!.data()) as Float32Array;
    predictionsT!.dispose();
    add('pretrain.loss', 'pretrain.loss', await preGrads.value.data());
    add('pretrain.logits', 'pretrain.logits', predictions);
    await compareGrads(p, 'grad.pretrain.', preGrads.grads, io.tensors, (name, ours, scale) =>
      add('pretrain.grad', name, ours, true, scale),
    );
    preGrads.value.dispose();
    tf.dispose(preGrads.grads);
  } finally {
    model?.dispose();
    clips.dispose();
  }
  return out;
}

/**
 * Every `prefix*` gradient in the fixture must have a counterpart (converted to HF layout).
 * The key bias's gradient is zero in exact arithmetic (softmax is shift invariant), so both sides
 * hold rounding noise; its relative check is scaled by the same attention's query-bias gradient,
 * the size that noise is relative to.
 */
async function compareGrads(
  model: VideoMAEModel,
  prefix: string,
  grads: tf.NamedTensorMap,
  refs: Map<string, SafetensorsEntry>,
  add: (name: string, ours: ArrayLike<number>, scaleRef: number) => void,
) {
  const named = model.namedGrads(grads);
  for (const key of refs.keys()) {
    if (!key.startsWith(prefix)) continue;
    const param = key.slice(prefix.length);
    const spec = model.specs.find((s) => s.name === param);
    const g = named[param];
    if (!spec || !g) {
      add(key, [], 0);
      continue;
    }
    let scale = 0;
    const sibling = refs.get(key.replace(/\.key\.bias$/, '.query.bias'));
    if (key.endsWith('.attention.attention.key.bias') && sibling)
      scale = Array.from(decodeEntry(sibling)).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    add(key, toHFLayout(spec, (await g.data()) as Float32Array), scale);
  }
}
