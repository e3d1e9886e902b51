// WAR against inference GFLOPs, one point per variant with its seed spread (mean ± std), labelled.
import type { TopLevelSpec } from 'vega-lite';
import type { AblationTable } from './table.js';

export function ablationSpec(t: AblationTable): TopLevelSpec {
  const values = t.rows.map((r) => ({
    variant: r.label,
    gflops: r.gflops,
    war: r.war.mean,
    lo: r.war.mean - r.war.std,
    hi: r.war.mean + r.war.std,
    reference: r.name === t.reference ? 'full-token reference' : 'variant',
  }));
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
          color: { field: 'variant', type: 'nominal', legend: null },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y: { field: 'war', type: 'quantitative', title: 'WAR (%)', scale: { zero: false } },
          color: { field: 'variant', type: 'nominal', legend: null },
          shape: { field: 'reference', type: 'nominal', legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
        encoding: {
          x,
          y: { field: 'war', type: 'quantitative' },
          text: { field: 'variant' },
          color: { field: 'variant', type: 'nominal', legend: null },
        },
      },
    ],
  };
}
