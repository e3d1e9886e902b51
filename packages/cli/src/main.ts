// The `adatosk` command: lazy sub-commands (each loads only when used), errors printed without stacks.
import { defineCommand, runCommand, renderUsage, type CommandDef } from 'citty';
import { CliError } from './errors.js';
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
  meta: { name: 'adatosk', version: VERSION, description: 'Dynamic facial expression recognition with AdaTosk (train, pretrain, ablate, eval, predict, visualize, bench, info, datasets)' },
  subCommands: commands as unknown as Record<string, () => Promise<CommandDef>>,
});

/** Runs the CLI with `argv` (without node and script). Returns the exit code instead of exiting. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write((await renderUsage(root)) + '\n');
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    const name = argv[0] as keyof typeof commands;
    if (commands[name]) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let cmd: CommandDef<any> = await commands[name]();
      const sub = argv[1];
      if (sub && cmd.subCommands) {
        const subs = (await (typeof cmd.subCommands === 'function' ? cmd.subCommands() : cmd.subCommands)) as Record<string, CommandDef>;
        if (subs[sub]) cmd = typeof subs[sub] === 'function' ? await (subs[sub] as unknown as () => Promise<CommandDef>)() : subs[sub];
      }
      process.stdout.write((await renderUsage(cmd, root)) + '\n');
      return 0;
    }
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
    process.stderr.write(`adatosk: ${err.message}\n${process.env.ADATOSK_DEBUG ? err.stack + '\n' : 'set ADATOSK_DEBUG=1 for the stack trace\n'}`);
    return 1;
  }
}
