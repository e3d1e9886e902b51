// Reads annotation text files defensively: UTF-8 (BOM stripped), else GB18030 (MAFW's caption files are
// not valid UTF-8), else Latin-1, then splits into numbered, non-empty lines.
import { readFile } from 'node:fs/promises';
import { DatasetError } from '@adatosk/core';

export function decodeText(bytes: Uint8Array): string {
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      // try the next encoding
    }
  }
  return new TextDecoder('latin1').decode(bytes);
}

export interface NumberedLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Non-blank lines with their 1-based numbers; trailing `\r` removed; a missing last newline is fine. */
export async function readLines(file: string): Promise<NumberedLine[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DatasetError(`cannot read split file (${(error as Error).message})`, file, undefined, { cause: error });
  }
  return decodeText(bytes)
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\r$/, '') }))
    .filter((l) => l.text.trim() !== '');
}
