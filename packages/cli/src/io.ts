// Where a command writes. Tests pass a capturing Io; the binary uses the process streams.
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
