// The `adatosk` command: lazy sub-commands (each loads only when used), errors printed without stacks.
import { defineCommand, runCommand, renderUsage, type CommandDef } from 'citty';
import { CliError } from './errors.js';
import { forStream } from './io.js';
import { VERSION } from './version.js';

export const commands = {
  train: () => import('./commands/train.js').then((m) => m.default),
  eval: () => import('./commands/eval.js').then((m) => m.default),
  predict: () => import('./commands/predict.js').then((m) => m.default),
  visualize: () => import('./commands/visualize.js').then((m) => m.default),
  bench: () => import('./commands/bench.js').then((m) => m.default),
  info: () => import('./commands/info.js').then((m) => m.default),
  datasets: () => import('./commands/datasets.js').then((m) => m.default),
  pretrain: () => import('./commands/pretrain.js').then((m) => m.default),
  ablate: () => import('./commands/ablate.js').then((m) => m.default),
};

export const root = defineCommand({
  meta: {
    name: 'adatosk',
    version: VERSION,
    description:
      'Dynamic facial expression recognition with AdaTosk (train, pretrain, ablate, eval, predict, visualize, bench, info, datasets)',
  },
  subCommands: commands as unknown as Record<string, () => Promise<CommandDef>>,
});

// biome-ignore lint/suspicious/noExplicitAny: sub-commands have different argument definitions.
type AnyCommand = CommandDef<any>;

async function resolveCommand(c: unknown): Promise<AnyCommand> {
  return (typeof c === 'function' ? await (c as () => Promise<AnyCommand>)() : c) as AnyCommand;
}

/**
 * The usage of the deepest (sub-)command `argv` names, titled with its full path (`adatosk datasets check`):
 * citty titles a command with its direct parent's name only.
 */
export async function usageOf(argv: readonly string[]): Promise<string> {
  let cmd: AnyCommand = root;
  const path: string[] = [];
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const subs = cmd.subCommands ? ((await resolveCommand(cmd.subCommands)) as unknown as Record<string, unknown>) : undefined;
    if (!subs || !(word in subs)) break;
    path.push(String(((await resolveCommand(cmd.meta ?? {})) as { name?: string }).name ?? word));
    cmd = await resolveCommand(subs[word]);
  }
  return renderUsage(cmd, path.length ? { meta: { name: path.join(' ') } } : undefined);
}

/** Runs the CLI with `argv` (without node and script). Returns the exit code instead of exiting. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(forStream(await renderUsage(root), process.stdout) + '\n');
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if ((argv.includes('--help') || argv.includes('-h')) && argv[0] in commands) {
    process.stdout.write(forStream(await usageOf(argv), process.stdout) + '\n');
    return 0;
  }
  try {
    await runCommand(root, { rawArgs: argv });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const err = e as Error & { exitCode?: number; code?: string };
    if (err instanceof CliError || err.name === 'CliError') {
      process.stderr.write(`adatosk: ${err.message}\n`);
      return err.exitCode ?? 1;
    }
    if (err.code === 'E_UNKNOWN_COMMAND' || /Unknown command/i.test(err.message)) {
      process.stderr.write(`adatosk: ${err.message}. Commands: ${Object.keys(commands).join(', ')}; see adatosk --help\n`);
      return 2;
    }
    process.stderr.write(
      `adatosk: ${err.message}\n${process.env.ADATOSK_DEBUG ? err.stack + '\n' : 'set ADATOSK_DEBUG=1 for the stack trace\n'}`,
    );
    return 1;
  }
}
