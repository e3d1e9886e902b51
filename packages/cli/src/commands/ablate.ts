// `adatosk ablate`: trains a suite's variants on the same data with the same budget and several seeds, and writes
// the table (Markdown, JSON) and the WAR-against-GFLOPs plot (library: ../ablate/ablation.ts).
import { defineCommand } from 'citty';
import { backendArgs, many, outputArgs, repeatedFlag } from '../args.js';
import { runAblation } from '../ablate/ablation.js';

export const DEFAULT_SUITE = 'configs/ablation/suite.yaml';

export default defineCommand({
  meta: {
    name: 'ablate',
    description: 'Ablation table: train every variant of a suite (same data, same budget, 3+ seeds); write table and plot',
  },
  args: {
    suite: { type: 'string', alias: 's', description: `Suite file (default ${DEFAULT_SUITE})`, valueHint: 'file' },
    quick: { type: 'boolean', default: false, description: "Run the suite's quick profile (same as --profile quick)" },
    profile: { type: 'string', description: 'Profile of the suite (default full)', valueHint: 'name' },
    variant: {
      type: 'string',
      description: 'Another variant file to add as a row, e.g. your own mask plugin (repeatable)',
      valueHint: 'file',
    },
    only: { type: 'string', description: 'Run only these variants (comma-separated names)', valueHint: 'names' },
    out: { type: 'string', alias: 'o', description: 'Output folder (default runs/ablation-<profile>)', valueHint: 'dir' },
    doc: { type: 'string', description: 'Markdown file whose <!-- ablation:begin/end --> section gets the table', valueHint: 'file' },
    ...backendArgs,
    ...outputArgs,
  },
  async run({ args, rawArgs }) {
    const profile = args.profile ?? (args.quick ? 'quick' : 'full');
    const ctl = new AbortController();
    const onSigint = () => ctl.abort();
    process.once('SIGINT', onSigint);
    try {
      await runAblation({
        suite: args.suite ?? DEFAULT_SUITE,
        profile,
        variants: repeatedFlag(rawArgs, 'variant'),
        only: many(args.only)
          .flatMap((s) => s.split(','))
          .map((s) => s.trim())
          .filter(Boolean),
        out: args.out ?? `runs/ablation-${profile}`,
        doc: args.doc,
        backend: args.backend,
        json: args.json,
        signal: ctl.signal,
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
});
