// A resumable training checkpoint in one safetensors file: weights, AdamW moments, and a JSON header with the
// schedule step, data-order position, seed and run metadata. Pure bytes in and out: writing files (atomically)
// is the caller's job, so this stays backend- and platform-agnostic.
import { readSafetensorsHeader } from '../checkpoint/safetensors.js';
import type { AdamWState } from './adamw.js';
import type { EvalMetrics } from '../events/types.js';

export interface TensorData {
  shape: number[];
  data: Float32Array;
}

export interface TrainState {
  version: 1;
  /** Epoch (0-based) of the next optimiser step. */
  epoch: number;
  /** Optimiser steps already done inside `epoch` (the data-order position). */
  stepInEpoch: number;
  /** Global optimiser steps done (the schedule position). */
  step: number;
  /** Run seed; every random stream is derived from (seed, epoch, step, ...). */
  seed: number;
  weights: Record<string, TensorData>;
  optimizer: AdamWState;
  best?: { epoch: number; metrics: EvalMetrics };
  /** Free-form JSON the caller wants back on resume (model config, run config, class names, ...). */
  meta?: Record<string, unknown>;
}

const WEIGHT = 'weights/';
const MOM1 = 'optimizer.m/';
const MOM2 = 'optimizer.v/';

/** Serialises a training state to safetensors bytes (little-endian F32, header metadata `adatosk.train`). */
export function encodeTrainState(state: TrainState): Uint8Array {
  const entries: Array<[string, number[], Float32Array]> = [];
  for (const [k, t] of Object.entries(state.weights)) entries.push([WEIGHT + k, t.shape, t.data]);
  for (const [k, t] of Object.entries(state.optimizer.m)) entries.push([MOM1 + k, state.weights[k]?.shape ?? [t.length], t]);
  for (const [k, t] of Object.entries(state.optimizer.v)) entries.push([MOM2 + k, state.weights[k]?.shape ?? [t.length], t]);
  const { weights: _w, optimizer, ...rest } = state;
  const info = { ...rest, optimizerT: optimizer.t };
  const header: Record<string, unknown> = { __metadata__: { 'adatosk.train': JSON.stringify(info) } };
  let offset = 0;
  for (const [name, shape, data] of entries) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let headerText = JSON.stringify(header);
  // Pad the header to 8 bytes so tensor data stays aligned (as the reference writer does).
  while ((8 + new TextEncoder().encode(headerText).length) % 8 !== 0) headerText += ' ';
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [, , data] of entries) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    pos += data.byteLength;
  }
  return out;
}

/** Parses bytes written by `encodeTrainState`. `source` names the file in error messages. */
export function decodeTrainState(bytes: Uint8Array, source = 'checkpoint'): TrainState {
  // Checks the file against its header first: a cut-short file says "truncated", another format "not a safetensors file".
  const { header, dataStart: base } = readSafetensorsHeader(bytes, source);
  const info = trainInfo(header, source);
  const weights: Record<string, TensorData> = {};
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (e.dtype !== 'F32') throw new Error(`${source}: tensor '${name}' has dtype ${e.dtype}, expected F32`);
    const [a, b] = e.data_offsets;
    const count = e.shape.reduce((x, y) => x * y, 1);
    if (b - a !== count * 4)
      throw new Error(`${source}: tensor '${name}' holds ${b - a} bytes but F32 [${e.shape.join(', ')}] needs ${count * 4}`);
    // Copy so the result does not alias (and keep alive) the whole file buffer.
    const data = new Float32Array(bytes.slice(base + a, base + b).buffer);
    if (name.startsWith(WEIGHT)) weights[name.slice(WEIGHT.length)] = { shape: e.shape, data };
    else if (name.startsWith(MOM1)) m[name.slice(MOM1.length)] = data;
    else if (name.startsWith(MOM2)) v[name.slice(MOM2.length)] = data;
  }
  const { optimizerT, ...rest } = info;
  return { ...rest, weights, optimizer: { t: optimizerT, m, v } } as TrainState;
}

/** True when `bytes` carry a training state (`adatosk.train` metadata), false for a plain weights file. */
export function isTrainState(bytes: Uint8Array, source = 'checkpoint'): boolean {
  const meta = readSafetensorsHeader(bytes, source).header.__metadata__ as Record<string, unknown> | undefined;
  return typeof meta?.['adatosk.train'] === 'string';
}

function trainInfo(header: Record<string, unknown>, source: string): Omit<TrainState, 'weights' | 'optimizer'> & { optimizerT: number } {
  const meta = header.__metadata__ as Record<string, string> | undefined;
  const infoText = meta?.['adatosk.train'];
  if (!infoText) {
    throw new Error(`${source}: no 'adatosk.train' metadata: this is a weights-only file, not a resumable training checkpoint`);
  }
  try {
    return JSON.parse(infoText) as Omit<TrainState, 'weights' | 'optimizer'> & { optimizerT: number };
  } catch (e) {
    throw new Error(`${source}: the 'adatosk.train' metadata is not valid JSON (${(e as Error).message})`);
  }
}

/** Reads only the JSON part (epoch, step, best, meta) without copying tensors; the file length is checked too. */
export function readTrainStateInfo(bytes: Uint8Array, source = 'checkpoint'): Omit<TrainState, 'weights' | 'optimizer'> {
  const { optimizerT: _t, ...rest } = trainInfo(readSafetensorsHeader(bytes, source).header, source);
  return rest;
}
