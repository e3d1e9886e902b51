// `adatosk visualize`: a PNG of the clip with its class-agnostic, class-semantic and final soft masks (paper Fig. 3).
import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import * as tf from '@tensorflow/tfjs-core';
import { backendArgs, num, outputArgs, repeatedFlag } from '../args.js';
import { CliError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { renderMaskFigure } from '../render/masks.js';
import { denormalise } from '../runtime/clip.js';
import { softMaskRows } from '../runtime/model.js';
import { writeFileAtomic } from '../run/atomic.js';
import { clipFor, loadForInference, probabilitiesOf } from './predict.js';

export interface VisualizeCliOptions {
  checkpoint?: string;
  input?: string;
  synthetic?: number;
  /** Output PNG path (default masks.png). */
  out?: string;
  backend?: string;
  plugins?: string[];
  json?: boolean;
  io?: Io;
}

export async function runVisualize(opts: VisualizeCliOptions): Promise<{ png: string; predicted: string }> {
  const io = opts.io ?? processIo;
  const { model, config, classes } = await loadForInference(opts.checkpoint, opts.backend, opts.plugins ?? []);
  try {
    const { sample, name, label } = await clipFor(config, opts);
    const [T, S] = sample.shape;
    const input = tf.tensor5d(sample.frames, [1, T, S, S, 3]);
    const rows = await softMaskRows(model, input);
    input.dispose();
    const probs = await probabilitiesOf(model, sample);
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    const title = `${name}: predicted ${classes[best]} (${(probs[best] * 100).toFixed(0)}%)${label !== undefined ? `, true ${classes[label]}` : ''}`;
    const png = await renderMaskFigure(denormalise(sample.frames), T, S, rows, { title });
    const out = resolve(opts.out ?? 'masks.png');
    if (!/\.png$/i.test(out)) throw new CliError(`--out '${out}' must end in .png`, 2);
    await writeFileAtomic(out, png);
    if (opts.json)
      io.out(
        JSON.stringify({
          png: out,
          input: name,
          predicted: classes[best],
          visible: rows.visible.length,
          rows: rows.rows.map((r) => r.name),
        }),
      );
    else io.out(`wrote ${out} (${rows.visible.length} visible tokens; rows: frames, ${rows.rows.map((r) => r.name).join(', ')})`);
    return { png: out, predicted: classes[best] };
  } finally {
    model.dispose();
  }
}

export default defineCommand({
  meta: { name: 'visualize', description: "Draw a clip's class-agnostic, class-semantic and final soft masks to a PNG" },
  args: {
    input: { type: 'positional', required: false, description: 'Video file or folder of frames', valueHint: 'path' },
    checkpoint: { type: 'string', alias: 'k', description: 'Checkpoint file or run folder (default runs/latest)', valueHint: 'path' },
    synthetic: { type: 'string', description: 'Use clip N of the synthetic test split', valueHint: 'n' },
    out: { type: 'string', alias: 'o', description: 'Output PNG (default masks.png)', valueHint: 'file.png' },
    plugin: { type: 'string', description: 'Mask plugin module (repeatable)', valueHint: 'module' },
    ...backendArgs,
    ...outputArgs,
  },
  async run({ args, rawArgs }) {
    await runVisualize({
      checkpoint: args.checkpoint,
      input: args.input,
      synthetic: num('synthetic', args.synthetic),
      out: args.out,
      backend: args.backend,
      plugins: repeatedFlag(rawArgs, 'plugin'),
      json: args.json,
    });
  },
});
