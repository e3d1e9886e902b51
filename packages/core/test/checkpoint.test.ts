import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  configFromHF,
  createModel,
  decodeEntry,
  loadModelSync,
  modelFromSafetensors,
  readSafetensors,
  resolveConfig,
  writeSafetensors,
  type WritableTensor,
} from '@adatosk/core';
import { toLegacyCheckpoint, type FixtureBytes } from '@adatosk/core/testing';
import { fixtureBytes } from './fixtureBytes.js';
import { useBackend } from './helpers.js';

/** Bitwise equality of typed arrays (vitest's deep equality is slow on megabytes). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** Rewrite a checkpoint through `edit` (return undefined to drop a tensor). */
function rewrite(bytes: Uint8Array, edit: (name: string, t: WritableTensor) => [string, WritableTensor] | undefined): Uint8Array {
  const out: Record<string, WritableTensor> = {};
  for (const [name, e] of readSafetensors(bytes).tensors) {
    const r = edit(name, { dtype: 'F32', shape: e.shape, data: decodeEntry(e) as Float32Array });
    if (r) out[r[0]] = r[1];
  }
  return writeSafetensors(out);
}

describe('checkpoints', () => {
  let fx: FixtureBytes;
  beforeAll(async () => {
    await useBackend('cpu');
    fx = await fixtureBytes();
  });

  it('loads a classifier checkpoint and fills the missing decoder with a seeded init, reported', async () => {
    const m = await modelFromSafetensors(fx.config, fx.classifier, { seed: 3 });
    expect(m.loadReport).toMatchObject({ filledParts: ['decoder'], layout: 'current', prefixed: true, ignored: [] });
    expect(m.loadReport!.filled).toContain('decoder.head.weight');
    expect(m.loadReport!.filled).toContain('mask_token');
    expect(m.loadReport!.filled.every((n) => /^(decoder\.|encoder_to_decoder|mask_token)/.test(n))).toBe(true);
    // The fill is the same seeded init a fresh model gets.
    const fresh = createModel(m.config, { seed: 3 });
    expect(sameBytes(m.param('decoder.head.weight').dataSync(), fresh.param('decoder.head.weight').dataSync())).toBe(true);
    const other = createModel(m.config, { seed: 4 });
    expect(sameBytes(m.param('decoder.head.weight').dataSync(), other.param('decoder.head.weight').dataSync())).toBe(false);
    other.dispose();
    m.dispose();
    fresh.dispose();
    const p = loadModelSync(JSON.parse(fx.config), fx.pretrain);
    expect(p.loadReport!.filledParts).toEqual(['classifier']);
    expect(p.loadReport!.filled.sort()).toEqual(['classifier.bias', 'classifier.weight', 'fc_norm.bias', 'fc_norm.weight']);
    p.dispose();
  });

  it('stores linear weights [in, out] and the patch embedding in (t, row, col, channel) order', () => {
    const m = loadModelSync(fx.config, fx.classifier);
    const ref = readSafetensors(fx.classifier).tensors;
    const q = decodeEntry(ref.get('videomae.encoder.layer.1.attention.attention.query.weight')!) as Float32Array; // [out, in]
    const ours = m.param('videomae.encoder.layer.1.attention.attention.query.weight').arraySync() as number[][]; // [in, out]
    expect(ours[5][7]).toBe(q[7 * 48 + 5]);
    const conv = decodeEntry(ref.get('videomae.embeddings.patch_embeddings.projection.weight')!) as Float32Array; // [D, C, t, p, p]
    const pe = m.param('videomae.embeddings.patch_embeddings.projection.weight').arraySync() as number[][]; // [t*p*p*C, D]
    const [d, c, t, y, x] = [9, 2, 1, 3, 6];
    expect(pe[((t * 8 + y) * 8 + x) * 3 + c][d]).toBe(conv[(((d * 3 + c) * 2 + t) * 8 + y) * 8 + x]);
    m.dispose();
  });

  it('round-trips save -> load -> save bit for bit, and carries its config', async () => {
    const cfg = resolveConfig('tiny', { numLayers: 1, decoderNumLayers: 1, numClasses: 3, labels: ['a', 'b', 'c'] });
    const m = createModel(cfg, { seed: 11 });
    const saved = await m.toSafetensors();
    expect(configFromHF(saved.configJson)).toEqual(cfg);
    const back = loadModelSync(null, saved.safetensors); // config from the file's metadata
    expect(back.config).toEqual(cfg);
    expect(back.loadReport!.filled).toEqual([]);
    const differing = Object.entries(m.variables).filter(([name, v]) => !sameBytes(back.param(name).dataSync(), v.dataSync()));
    expect(differing.map(([n]) => n)).toEqual([]);
    expect(sameBytes((await back.toSafetensors()).safetensors, saved.safetensors)).toBe(true);
    const viaHF = loadModelSync(saved.config, saved.safetensors);
    expect(sameBytes((await viaHF.toSafetensors()).safetensors, saved.safetensors)).toBe(true);
    for (const x of [m, back, viaHF]) x.dispose();
  });

  it('loads the legacy layout and prefix-less (VideoMAEModel) keys with the same outputs', () => {
    const clips = tf.randomNormal([1, 4, 32, 32, 3], 0, 1, 'float32', 5);
    const a = loadModelSync(fx.config, fx.classifier);
    const legacyBytes = toLegacyCheckpoint(fx.classifier, { stripPrefix: true });
    expect([...readSafetensors(legacyBytes).tensors.keys()]).toContain('encoder.layer.0.attention.attention.q_bias');
    const b = loadModelSync(fx.config, legacyBytes);
    expect(b.loadReport).toMatchObject({ layout: 'legacy', prefixed: false, filledParts: ['decoder'] });
    expect(
      b
        .param('videomae.encoder.layer.0.attention.attention.key.bias')
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    const la = a.classify(clips).logits;
    const lb = b.classify(clips).logits;
    expect(tf.max(tf.abs(tf.sub(la, lb))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([clips, la, lb]);
    a.dispose();
    b.dispose();
  });

  it('reads F16 / BF16 checkpoints (converted to float32)', () => {
    const f32 = readSafetensors(fx.classifier);
    const header: Record<string, unknown> = {};
    const chunks: Uint8Array[] = [];
    let off = 0;
    for (const [name, e] of f32.tensors) {
      const vals = decodeEntry(e) as Float32Array;
      const bits = new Uint32Array(new Float32Array(vals).buffer);
      const bf = new Uint8Array(vals.length * 2);
      const dv = new DataView(bf.buffer);
      for (let i = 0; i < vals.length; i++) dv.setUint16(i * 2, bits[i] >>> 16, true); // truncate to bf16
      header[name] = { dtype: 'BF16', shape: e.shape, data_offsets: [off, off + bf.length] };
      chunks.push(bf);
      off += bf.length;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const file = new Uint8Array(8 + json.length + off);
    new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
    file.set(json, 8);
    let at = 8 + json.length;
    for (const c of chunks) {
      file.set(c, at);
      at += c.length;
    }
    const m = loadModelSync(fx.config, file);
    const ref = decodeEntry(f32.tensors.get('classifier.weight')!) as Float32Array;
    const ours = m.param('classifier.weight').arraySync() as number[][];
    expect(Math.abs(ours[4][2] - ref[2 * 48 + 4])).toBeLessThanOrEqual(Math.abs(ref[2 * 48 + 4]) / 128);
    m.dispose();
  });

  it('fails on missing, unexpected, mis-shaped and non-float tensors, naming them', () => {
    const load = (bytes: Uint8Array) => () => loadModelSync(fx.config, bytes, { source: 'm.safetensors' }).dispose();
    expect(load(rewrite(fx.classifier, (n, t) => (n === 'videomae.encoder.layer.1.output.dense.bias' ? undefined : [n, t])))).toThrow(
      /m.safetensors: missing tensors: videomae.encoder.layer.1.output.dense.bias/,
    );
    expect(load(rewrite(fx.classifier, (n, t) => [n.replace('layer.1.', 'layer.7.'), t]))).toThrow(
      /unexpected tensors not in this model .*videomae.encoder.layer.7.attention/,
    );
    expect(load(rewrite(fx.classifier, (n, t) => (n === 'classifier.weight' ? [n, { ...t, shape: [3, 112] }] : [n, t])))).toThrow(
      /tensor "classifier.weight": shape \[3, 112\] but this config needs \[7, 48\] \(the checkpoint has 3 classes: set numClasses to 3/,
    );
    expect(
      load(
        rewrite(fx.classifier, (n, t) => (n === 'fc_norm.bias' ? [n, { dtype: 'I32', shape: t.shape, data: new Int32Array(48) }] : [n, t])),
      ),
    ).toThrow(/tensor "fc_norm.bias": dtype I32 is not a float type/);
    expect(load(rewrite(fx.classifier, (n, t) => (n.startsWith('videomae.') ? undefined : [n, t])))).toThrow(/holds no encoder weights/);
    const noBias = configFromHF({ ...JSON.parse(fx.config), qkv_bias: false });
    expect(() => loadModelSync(noBias, fx.classifier)).toThrow(/set qkvBias \(HF qkv_bias\) to true/);
    // strict: false skips unexpected keys and lists them.
    const extra = rewrite(fx.classifier, (n, t) => [n, t]);
    const withExtra = writeSafetensors({
      ...Object.fromEntries(
        [...readSafetensors(extra).tensors].map(([n, e]) => [
          n,
          { dtype: 'F32' as const, shape: e.shape, data: decodeEntry(e) as Float32Array },
        ]),
      ),
      'videomae.embeddings.position_embeddings': { dtype: 'F32', shape: [1], data: new Float32Array(1) },
      'something.else': { dtype: 'F32', shape: [1], data: new Float32Array(1) },
    });
    expect(load(withExtra)).toThrow(/unexpected tensors .*something.else/);
    const lenient = loadModelSync(fx.config, withExtra, { strict: false });
    expect(lenient.loadReport!.ignored.sort()).toEqual(['something.else', 'videomae.embeddings.position_embeddings']);
    lenient.dispose();
  });
});
