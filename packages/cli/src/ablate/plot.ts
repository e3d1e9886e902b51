// WAR against inference GFLOPs, one point per variant with its seed spread (mean ± std), labelled.
import type { TopLevelSpec } from 'vega-lite';
import type { AblationTable } from './table.js';

/** A label's height as a fraction of the WAR axis (10 px text on a 360 px plot, with some air). */
const LABEL_GAP = 0.04;
/** Points closer than this fraction of the GFLOPs axis share a column, so their labels must not overlap. */
const SAME_COLUMN = 0.03;

/**
 * Label heights (WAR units) for points (gflops, war): rows at about the same cost, whose labels would print
 * on top of each other, are pushed apart to at least one label height, keeping their order by WAR.
 */
export function labelPositions(points: readonly { gflops: number; war: number }[]): number[] {
  const wars = points.map((p) => p.war);
  const span = Math.max(1, Math.max(...wars) - Math.min(...wars));
  const xSpan = Math.max(...points.map((p) => p.gflops), 0) || 1;
  const gap = LABEL_GAP * span;
  const y = [...wars];
  const order = points.map((_, i) => i).sort((a, b) => points[b]!.war - points[a]!.war || a - b);
  const placed: number[] = [];
  for (const i of order) {
    for (const j of placed) {
      const sameColumn = Math.abs(points[i]!.gflops - points[j]!.gflops) <= SAME_COLUMN * xSpan;
      if (sameColumn && y[j]! - y[i]! < gap) y[i] = y[j]! - gap;
    }
    placed.push(i);
  }
  return y;
}

export function ablationSpec(t: AblationTable): TopLevelSpec {
  const labelY = labelPositions(t.rows.map((r) => ({ gflops: r.gflops, war: r.war.mean })));
  const values = t.rows.map((r, i) => ({
    variant: r.label,
    gflops: r.gflops,
    war: r.war.mean,
    labelY: labelY[i],
    lo: r.war.mean - r.war.std,
    hi: r.war.mean + r.war.std,
    reference: r.name === t.reference ? 'full-token reference' : 'variant',
  }));
  // tableau10 repeats its colours from the 11th row on
  const color = { field: 'variant', type: 'nominal' as const, legend: null, scale: { scheme: 'tableau20' } };
  const x = { field: 'gflops', type: 'quantitative' as const, title: 'inference GFLOPs per clip', scale: { zero: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'WAR against inference cost', subtitle: `${t.profile} profile; bars: ± one standard deviation over seeds` },
    width: 560,
    height: 360,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
          color,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y: { field: 'war', type: 'quantitative', title: 'WAR (%)', scale: { zero: false } },
          color,
          shape: { field: 'reference', type: 'nominal', legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
        encoding: {
          x,
          y: { field: 'labelY', type: 'quantitative' },
          text: { field: 'variant' },
          color,
        },
      },
    ],
  };
}
