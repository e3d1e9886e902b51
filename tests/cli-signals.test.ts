// `npx adatosk train` as a user starts it: npm runs the binary through `sh -c`, and a SIGTERM sent to npm must
// still stop the trainer with a checkpoint (before, the shell died and the trainer ran on, orphaned).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Pids of processes whose command line mentions `marker` (Linux /proc). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it.runIf(process.platform === 'linux')(
  'SIGTERM to `npx adatosk train` saves a checkpoint and stops the trainer',
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'adatosk-sigterm-'));
    const args = [
      '--no',
      'adatosk',
      'train',
      '--json',
      '--backend',
      'wasm',
      '--epochs',
      '500',
      '--out',
      out,
      '--name',
      'r',
      '--set',
      'data.trainClips=14',
      '--set',
      'data.testClips=7',
      '--set',
      'train.batchSize=2',
    ];
    const npx = spawn('npx', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    npx.stderr.on('data', (d: Buffer) => (stderr += d));
    try {
      await new Promise<void>((resolveStep, reject) => {
        npx.stdout.on('data', (d: Buffer) => {
          stdout += d;
          if (/"type":"step"/.test(stdout)) resolveStep();
        });
        npx.on('exit', (code) => reject(new Error(`npx exited (${code}) before training started:\n${stderr}`)));
      });
      npx.kill('SIGTERM');
      const deadline = Date.now() + 60_000;
      while (processesWith(out).length > 0 && Date.now() < deadline) await sleep(250);
      expect(processesWith(out), `trainer still running after SIGTERM to npx:\n${stderr}`).toEqual([]);
      const events = readFileSync(join(out, 'r', 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.at(-1)).toMatchObject({ type: 'done', aborted: true });
      expect(existsSync(join(out, 'r', 'checkpoint-last.safetensors'))).toBe(true);
      expect(stderr).toMatch(/SIGTERM: finishing the current step and saving a checkpoint/);
    } finally {
      for (const pid of processesWith(out)) process.kill(pid, 'SIGKILL'); // only what this test started
    }
  },
  120_000,
);
