import * as tf from '@tensorflow/tfjs-core';

/** Visible and hidden token ids of a hard mask (int32 [B, V] and [B, Hn], each ascending). */
export interface MaskIndex {
  visible: tf.Tensor2D;
  hidden: tf.Tensor2D;
  /** Hidden tokens per clip (every clip hides the same number). */
  numHidden: number;
  dispose(): void;
}

/** A host-side [B, L] 0/1 mask. A tensor mask is read first: `{ data: await mask.data(), shape: mask.shape }`. */
export type HardMaskInput = ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly number[] };

/** Read a [B, L] 0/1 mask from nested arrays or `{ data, shape }` (host side). */
export function readMask(mask: HardMaskInput): { data: ArrayLike<number>; batch: number; tokens: number } {
  if (mask instanceof tf.Tensor) {
    // Reading a tensor here would need a synchronous read, which WebGPU in Node does not have.
    throw new TypeError(
      'a hard mask must be host data, not a tensor: pass { data: await mask.data(), shape: mask.shape } (reads are asynchronous only)',
    );
  }
  if ('shape' in mask && 'data' in mask) {
    if (mask.shape.length !== 2) throw new Error(`hidden mask must be [batch, tokens], got shape [${mask.shape}]`);
    return { data: mask.data, batch: mask.shape[0]!, tokens: mask.shape[1]! };
  }
  const rows = Array.from(mask as ArrayLike<ArrayLike<number>>);
  const tokens = rows[0]?.length ?? 0;
  const data = new Uint8Array(rows.length * tokens);
  rows.forEach((r, i) => {
    if (r.length !== tokens) throw new Error(`hidden mask row ${i} has ${r.length} tokens, row 0 has ${tokens}`);
    for (let j = 0; j < tokens; j++) data[i * tokens + j] = r[j];
  });
  return { data, batch: rows.length, tokens };
}

/**
 * Split a hard mask (1 = hidden) into visible and hidden token ids. Every clip must hide the same
 * number of tokens (VideoMAE's contract), and at least one token must stay visible.
 */
export function maskIndex(mask: HardMaskInput, expectedTokens?: number): MaskIndex {
  const { data, batch, tokens } = readMask(mask);
  if (expectedTokens !== undefined && tokens !== expectedTokens)
    throw new Error(`hidden mask has ${tokens} tokens per clip, the clips have ${expectedTokens}`);
  let numHidden = -1;
  const vis: number[] = [];
  const hid: number[] = [];
  for (let b = 0; b < batch; b++) {
    let count = 0;
    for (let j = 0; j < tokens; j++) {
      const v = Number(data[b * tokens + j]);
      if (v !== 0 && v !== 1) throw new Error(`hidden mask must be 0/1, got ${v} at [${b}, ${j}]`);
      if (v) {
        hid.push(j);
        count++;
      } else vis.push(j);
    }
    if (numHidden >= 0 && count !== numHidden)
      throw new Error(`every clip must hide the same number of tokens: clip 0 hides ${numHidden}, clip ${b} hides ${count}`);
    numHidden = count;
  }
  if (numHidden === tokens) throw new Error('the hidden mask hides every token: at least one must stay visible');
  const visible = tf.tensor2d(vis, [batch, tokens - numHidden], 'int32');
  const hidden = tf.tensor2d(hid, [batch, numHidden], 'int32');
  return {
    visible,
    hidden,
    numHidden,
    dispose() {
      visible.dispose();
      hidden.dispose();
    },
  };
}
