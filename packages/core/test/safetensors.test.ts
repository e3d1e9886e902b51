import { describe, expect, it } from 'vitest';
import { decodeEntry, decodeTrainState, encodeTrainState, readSafetensors, readTrainStateInfo, writeSafetensors } from '@adatosk/core';

/** A file with a hand-written header, to build malformed inputs. */
function rawFile(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32, I32 and U8 with metadata, deterministically', () => {
    const tensors = {
      b: { dtype: 'F32' as const, shape: [2, 2], data: new Float32Array([1.5, -2, 3e-8, 4]) },
      a: { dtype: 'I32' as const, shape: [3], data: new Int32Array([1, -7, 2 ** 30]) },
      m: { dtype: 'U8' as const, shape: [2], data: new Uint8Array([0, 1]) },
    };
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    expect(writeSafetensors(tensors, { format: 'pt' })).toEqual(bytes);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const f = readSafetensors(bytes);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect([...f.tensors.keys()]).toEqual(['a', 'b', 'm']);
    expect(Array.from(decodeEntry(f.tensors.get('b')!))).toEqual(Array.from(tensors.b.data));
    expect(Array.from(decodeEntry(f.tensors.get('a')!))).toEqual([1, -7, 2 ** 30]);
    expect(decodeEntry(f.tensors.get('m')!)).toEqual(new Uint8Array([0, 1]));
  });

  it('converts F16, BF16, F64, I64 and BOOL', () => {
    const data = new Uint8Array(4 + 4 + 8 + 8 + 2);
    const v = new DataView(data.buffer);
    v.setUint16(0, 0x3c00, true); // f16 1.0
    v.setUint16(2, 0xc100, true); // f16 -2.5
    v.setUint16(4, 0x3fc0, true); // bf16 1.5
    v.setUint16(6, 0xc040, true); // bf16 -3
    v.setFloat64(8, 0.1, true);
    v.setBigInt64(16, -5n, true);
    data[24] = 1;
    data[25] = 0;
    const f = readSafetensors(
      rawFile(
        {
          h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
          bf: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
          d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
          l: { dtype: 'I64', shape: [1], data_offsets: [16, 24] },
          z: { dtype: 'BOOL', shape: [2], data_offsets: [24, 26] },
        },
        data,
      ),
    );
    expect(Array.from(decodeEntry(f.tensors.get('h')!))).toEqual([1, -2.5]);
    expect(Array.from(decodeEntry(f.tensors.get('bf')!))).toEqual([1.5, -3]);
    expect(decodeEntry(f.tensors.get('d')!)[0]).toBeCloseTo(0.1, 7);
    expect(Array.from(decodeEntry(f.tensors.get('l')!))).toEqual([-5]);
    expect(Array.from(decodeEntry(f.tensors.get('z')!))).toEqual([1, 0]);
  });

  it('rejects malformed files, naming the tensor and the problem', () => {
    const four = new Uint8Array(16);
    expect(() => readSafetensors(new Uint8Array(3), 'x.safetensors')).toThrow(
      /x.safetensors: not a safetensors file: file is 3 bytes, too short/,
    );
    expect(() => readSafetensors(rawFile({}, four, 10_000))).toThrow(/truncated: header length 10000 exceeds the file/);
    expect(() => readSafetensors(rawFile('{"a": ', four))).toThrow(/not a safetensors file: header is not valid UTF-8 JSON/);
    expect(() => readSafetensors(rawFile({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 4] } }, four))).toThrow(
      /tensor "w": unknown dtype "Q4"/,
    );
    expect(() => readSafetensors(rawFile({ w: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }, four))).toThrow(
      /truncated: the file is \d+ bytes but its header describes \d+ \(tensor "w" ends at byte 32 of a data section that holds 16\)/,
    );
    expect(() => readSafetensors(rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, four))).toThrow(
      /tensor "w": holds 8 bytes but F32 \[3\] needs 12/,
    );
    expect(() => readSafetensors(rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, four))).toThrow(
      /tensor "w": shape \[-1\] is not a list of non-negative integers/,
    );
    expect(() =>
      readSafetensors(
        rawFile(
          {
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
          },
          four,
        ),
      ),
    ).toThrow(/tensor "b" \(bytes 4-12\) overlaps tensor "a" \(bytes 0-8\)/);
    expect(() =>
      readSafetensors(rawFile({ w: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array([7]))).tensors.get('w'),
    ).not.toThrow();
    const bad = readSafetensors(rawFile({ w: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array([7])));
    expect(() => decodeEntry(bad.tensors.get('w')!)).toThrow(/w: BOOL byte 7/);
  });

  it('says "truncated" for a file cut to 50-95% of its size and "not a safetensors file" for another format, with the path', () => {
    const tensors = Object.fromEntries(
      ['a', 'b', 'c', 'd'].map((k, i) => [k, { dtype: 'F32' as const, shape: [64], data: new Float32Array(64).fill(i) }]),
    );
    const whole = writeSafetensors(tensors, { format: 'pt' });
    expect(() => readSafetensors(whole, 'runs/x/model.safetensors')).not.toThrow();
    for (const part of [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
      const cut = whole.subarray(0, Math.floor(whole.length * part));
      expect(() => readSafetensors(cut, 'runs/x/model.safetensors'), `cut to ${part}`).toThrow(
        /^runs\/x\/model\.safetensors: truncated: the file is \d+ bytes but its header describes \d+/,
      );
    }
    expect(() => readSafetensors(whole.subarray(0, 12), 'm.safetensors')).toThrow(/m\.safetensors: truncated: header length/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(() => readSafetensors(png, 'plot.png')).toThrow(/^plot\.png: not a safetensors file/);
    expect(() => readSafetensors(new TextEncoder().encode('{"model": {"preset": "tiny"}}'), 'config.json')).toThrow(
      /^config\.json: not a safetensors file/,
    );
  });

  it('checks a training checkpoint against its header too (the optimiser moments sit at the end of the file)', () => {
    const w = { shape: [4, 8], data: new Float32Array(32).fill(0.5) };
    const bytes = encodeTrainState({
      version: 1,
      epoch: 1,
      stepInEpoch: 0,
      step: 3,
      seed: 0,
      weights: { w },
      optimizer: { t: 3, m: { w: new Float32Array(32).fill(0.1) }, v: { w: new Float32Array(32).fill(0.2) } },
    });
    expect(decodeTrainState(bytes, 'ckpt.safetensors').weights.w.data).toEqual(w.data);
    for (const part of [0.5, 0.8, 0.95]) {
      const cut = bytes.slice(0, Math.floor(bytes.length * part));
      expect(() => decodeTrainState(cut, 'runs/r/checkpoint-last.safetensors')).toThrow(
        /^runs\/r\/checkpoint-last\.safetensors: truncated/,
      );
      expect(() => readTrainStateInfo(cut, 'runs/r/checkpoint-last.safetensors')).toThrow(/truncated/);
    }
  });
});
