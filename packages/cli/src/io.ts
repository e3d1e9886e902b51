// Where a command writes. Tests pass a capturing Io; the binary uses the process streams.
import { stripVTControlCharacters } from 'node:util';

export interface Io {
  /** Data output (JSON lines with --json, results otherwise). */
  out(line: string): void;
  /** Human progress and diagnostics. */
  err(line: string): void;
  /** A TTY stream for progress bars, or null when bars are off. */
  tty: NodeJS.WriteStream | null;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  tty: process.stderr.isTTY ? process.stderr : null,
};

export function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), tty: null };
}

/**
 * Whether to colour what goes to `stream`: only a terminal, and never with NO_COLOR set (any value, as
 * no-color.org says) or TERM=dumb; FORCE_COLOR (not 0) forces it.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** `text` as is for a colour terminal, without escape codes otherwise (a pipe, a file, NO_COLOR). */
export function forStream(text: string, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): string {
  return wantsColor(stream, env) ? text : stripVTControlCharacters(text);
}
