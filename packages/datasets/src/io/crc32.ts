// CRC-32 (the zlib/PNG polynomial): Node's native zlib.crc32 where it exists (Node >= 20.15), else a table
// implementation (about 10x slower), so the package still loads on older Node 20 releases.
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Js(data: Uint8Array | string, value = 0): number {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array | string, value?: number) => number }).crc32;

export const crc32: (data: Uint8Array | string, value?: number) => number = native ?? crc32Js;

/** The table implementation, exported for the test that checks it against zlib's. */
export const crc32Portable = crc32Js;
