// Plots as PNG: vega-lite spec -> vega View (renderer 'none') -> SVG -> sharp -> PNG.
import type { TopLevelSpec } from 'vega-lite';
import sharp from 'sharp';
import type { EpochEvent, EvalEvent, EvalMetrics } from '@adatosk/core';
import { writeFileAtomic } from '../run/atomic.js';

export async function specToPng(spec: TopLevelSpec): Promise<Uint8Array> {
  // Loaded on first use: vega is ESM with top-level await (so `require` of this package would fail)
  // and slow to load, and most commands never plot.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG(2);
    return new Uint8Array(await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).png().toBuffer());
  } finally {
    view.finalize();
  }
}

/**
 * Loss per epoch. A series that is zero or missing throughout (reconstruction, with the classification-only
 * objective) is left out, and so is the total when it equals the classification loss at every epoch: a line hidden
 * under another would only add a legend entry that is never visible.
 */
export function lossSpec(history: EpochEvent[]): TopLevelSpec {
  const finite = (x: number) => Number.isFinite(x);
  const hasRec = history.some((h) => finite(h.rec) && h.rec !== 0);
  const totalIsCls = history.every((h) => h.loss === h.cls || (!finite(h.loss) && !finite(h.cls)));
  const clsName = totalIsCls ? 'classification (= total)' : 'classification';
  const values = history
    .flatMap((h) => [
      ...(totalIsCls ? [] : [{ epoch: h.epoch, value: h.loss, series: 'total' }]),
      { epoch: h.epoch, value: h.cls, series: clsName },
      ...(hasRec ? [{ epoch: h.epoch, value: h.rec, series: 'reconstruction' }] : []),
    ])
    .filter((v) => finite(v.value));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Training loss',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', title: 'loss' },
      color: { field: 'series', type: 'nominal' },
    },
  };
}

export function accuracySpec(evals: EvalEvent[]): TopLevelSpec {
  const values = evals.flatMap((e) => [
    { epoch: e.epoch, value: e.metrics.uar * 100, metric: 'UAR' },
    { epoch: e.epoch, value: e.metrics.war * 100, metric: 'WAR' },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Test accuracy',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', title: '%', scale: { domain: [0, 100] } },
      color: { field: 'metric', type: 'nominal' },
    },
  };
}

export function confusionSpec(m: EvalMetrics, classes: readonly string[]): TopLevelSpec {
  const values = m.confusion.flatMap((row, i) => row.map((n, j) => ({ true: classes[i], predicted: classes[j], count: n })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Confusion matrix (UAR ${(m.uar * 100).toFixed(1)}%, WAR ${(m.war * 100).toFixed(1)}%)`,
    data: { values },
    width: 300,
    height: 300,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: [...classes] },
      y: { field: 'true', type: 'nominal', sort: [...classes] },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } } },
      { mark: { type: 'text', baseline: 'middle' }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
  };
}

/**
 * Writes loss.png, accuracy.png and confusion.png into `dir`; returns the paths. accuracy.png needs evaluations at
 * two epochs or more (one point is no curve: its numbers are in confusion.png's title).
 */
export async function writeRunPlots(
  dir: string,
  history: EpochEvent[],
  evals: EvalEvent[],
  final: EvalMetrics | undefined,
  classes: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  const put = async (name: string, spec: TopLevelSpec) => {
    const p = `${dir}/${name}`;
    await writeFileAtomic(p, await specToPng(spec));
    out.push(p);
  };
  if (history.length) await put('loss.png', lossSpec(history));
  if (evals.length >= 2) await put('accuracy.png', accuracySpec(evals));
  if (final) await put('confusion.png', confusionSpec(final, classes));
  return out;
}
