import { DTYPE_BYTES, decodeTensorBytes, type SafetensorsDtype } from './dtypes.js';

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** The tensor's raw little-endian bytes (a view into the file). */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** Raised for a malformed safetensors file; names the file and, where one is at fault, the tensor. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const MAX_HEADER = 100 * 1024 * 1024; // the format's own limit
const CUT_SHORT = 'the file was cut short (an interrupted save, copy or download?); use another copy or an earlier checkpoint';

/** A safetensors file's JSON header, checked against the file's length. */
export interface SafetensorsHeader {
  header: Record<string, unknown>;
  /** Offset of the data section (8 + header length). */
  dataStart: number;
  /** Bytes in the data section. */
  dataLength: number;
}

/**
 * Parse and check the header of a safetensors file (8-byte little-endian header length, JSON header, data).
 * A file that does not look like safetensors is reported as "not a safetensors file"; one whose header
 * promises more bytes than the file holds (a file cut short) as "truncated", with both sizes.
 */
export function readSafetensorsHeader(input: Uint8Array | ArrayBuffer, source = 'safetensors'): SafetensorsHeader {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.byteLength < 8) fail(`not a safetensors file: file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength === 0n || headerLength > BigInt(MAX_HEADER))
    fail(`not a safetensors file: its first 8 bytes give a header length of ${headerLength}`);
  const n = Number(headerLength);
  if (8 + n > bytes.byteLength) {
    // A JSON header that begins but does not end inside the file: a cut-short file, not another format.
    if (bytes[8] === 0x7b)
      fail(`truncated: header length ${n} exceeds the file (${bytes.byteLength - 8} bytes after the length field); ${CUT_SHORT}`);
    fail(`not a safetensors file: header length ${n} exceeds the file (${bytes.byteLength - 8} bytes after the length field)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`not a safetensors file: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('not a safetensors file: header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  // The data section must reach the furthest tensor end the header names (malformed entries are reported later).
  let end = 0;
  let last = '';
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    const offsets = name === '__metadata__' ? undefined : (raw as { data_offsets?: unknown } | null)?.data_offsets;
    const e = Array.isArray(offsets) ? offsets[1] : undefined;
    if (typeof e === 'number' && Number.isInteger(e) && e > end) [end, last] = [e, name];
  }
  if (end > dataLength) {
    fail(
      `truncated: the file is ${bytes.byteLength} bytes but its header describes ${dataStart + end} ` +
        `(tensor "${last}" ends at byte ${end} of a data section that holds ${dataLength}); ${CUT_SHORT}`,
    );
  }
  return { header: header as Record<string, unknown>, dataStart, dataLength };
}

/**
 * Parse a safetensors file (8-byte little-endian header length, JSON header, data). Validates the file
 * length against the header (see `readSafetensorsHeader`) and every entry (dtype, shape, offsets inside
 * the data and not overlapping, byte count) before use.
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer, source = 'safetensors'): SafetensorsFile {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  const { header, dataStart } = readSafetensorsHeader(bytes, source);
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>))
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
      metadata = raw as Record<string, string>;
      continue;
    }
    const bad = (msg: string): never => fail(`tensor "${name}": ${msg}`);
    if (raw === null || typeof raw !== 'object') bad('entry is not an object');
    const { dtype, shape, data_offsets: offsets } = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES))
      bad(`unknown dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0))
      bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0))
      bad(`data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
    const [begin, end] = offsets as [number, number];
    if (begin > end) bad(`data_offsets [${begin}, ${end}] run backwards`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = count * DTYPE_BYTES[dtype as SafetensorsDtype];
    if (end - begin !== expected) bad(`holds ${end - begin} bytes but ${dtype} [${(shape as number[]).join(', ')}] needs ${expected}`);
    ranges.push([begin, end, name]);
    tensors.set(name, {
      name,
      dtype: dtype as SafetensorsDtype,
      shape: [...(shape as number[])],
      bytes: bytes.subarray(dataStart + begin, dataStart + end),
    });
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < ranges.length; i++) {
    const [pb, pe, pn] = ranges[i - 1];
    const [b, e, nm] = ranges[i];
    if (b < pe && e > b && pe > pb) fail(`tensor "${nm}" (bytes ${b}-${e}) overlaps tensor "${pn}" (bytes ${pb}-${pe})`);
  }
  return { tensors, metadata };
}

/** Values of an entry: Float32Array for float dtypes, Int32Array for ints, Uint8Array for U8/BOOL. */
export function decodeEntry(entry: SafetensorsEntry): Float32Array | Int32Array | Uint8Array {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  return decodeTensorBytes(entry.bytes, entry.dtype, count, entry.name);
}

export type WritableDtype = 'F32' | 'I32' | 'U8';
export interface WritableTensor {
  dtype: WritableDtype;
  shape: readonly number[];
  data: Float32Array | Int32Array | Uint8Array;
}

/**
 * Serialise tensors (sorted by name, so the output is deterministic) with optional string metadata.
 * The header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
 */
export function writeSafetensors(tensors: Record<string, WritableTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new Error(`writeSafetensors: "${name}" has ${t.data.length} values for shape [${t.shape}]`);
    const size = count * DTYPE_BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const t = tensors[name];
    const count = t.data.length;
    if (t.dtype === 'U8') out.set(t.data as Uint8Array, at);
    else if (t.dtype === 'F32') for (let i = 0; i < count; i++) view.setFloat32(at + i * 4, t.data[i], true);
    else for (let i = 0; i < count; i++) view.setInt32(at + i * 4, t.data[i], true);
    at += count * DTYPE_BYTES[t.dtype];
  }
  return out;
}
