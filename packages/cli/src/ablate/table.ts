// Ablation rows from per-seed records: mean and standard deviation over seeds, the cost next to the reference
// (full-token) row, and the comparisons the suite asks for, as JSON and as a Markdown table.
import type { RunRecord } from './run.js';
import type { Suite } from './suite.js';

export interface Spread {
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: number;
}

export interface AblationRow {
  name: string;
  label: string;
  description: string;
  seeds: number[];
  uar: Spread;
  war: Spread;
  /** Inference GFLOPs per clip (a count, the same for every seed). */
  gflops: number;
  /** gflops / the reference row's. */
  gflopsRatio: number;
  tokens: RunRecord['tokens'];
  clipsPerSec: Spread;
  cpuMsPerClip: Spread;
  /** WAR minus the reference row's, in points. */
  warGap: number;
  apex?: { selected: number; classAgnostic?: number; chance: number };
  trainSeconds: number;
  pretrainSeconds?: number;
}

export interface Comparison {
  method: string;
  baseline: string;
  /** WAR(method) - WAR(baseline), in points. */
  warDiff: number;
  /** The larger of the two rows' WAR standard deviations, in points. */
  spread: number;
  /** Both rows cost the same within 2%. */
  sameCost: boolean;
  /** warDiff > spread. */
  beyondSpread: boolean;
}

export interface AblationTable {
  suite: string;
  profile: string;
  reference: string;
  rows: AblationRow[];
  comparisons: Comparison[];
  /** Where and when it was measured. */
  environment: { backend: string; date: string; note: string };
}

export function spread(values: number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Rows in the suite's variant order (variants without records are left out). */
export function buildTable(suite: Suite, profile: string, records: RunRecord[], environment: AblationTable['environment']): AblationTable {
  const byVariant = new Map<string, RunRecord[]>();
  for (const r of records) byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r]);
  const ref = byVariant.get(suite.reference);
  const refGflops = ref?.[0]?.gflops ?? NaN;
  const refWar = ref ? meanOf(ref.map((r) => r.war)) : NaN;
  const rows: AblationRow[] = [];
  for (const v of suite.variants) {
    const rs = (byVariant.get(v.name) ?? []).slice().sort((a, b) => a.seed - b.seed);
    if (rs.length === 0) continue;
    const war = spread(rs.map((r) => r.war * 100));
    const apexRuns = rs.filter((r) => r.apex);
    const apex = apexRuns.length
      ? {
          selected: meanOf(apexRuns.map((r) => r.apex!.selected)),
          ...(apexRuns.every((r) => r.apex!.classAgnostic !== undefined)
            ? { classAgnostic: meanOf(apexRuns.map((r) => r.apex!.classAgnostic!)) }
            : {}),
          chance: meanOf(apexRuns.map((r) => r.apex!.chance)),
        }
      : undefined;
    const pre = rs.filter((r) => r.pretrainSeconds !== undefined);
    rows.push({
      name: v.name,
      label: v.label,
      description: v.description,
      seeds: rs.map((r) => r.seed),
      uar: spread(rs.map((r) => r.uar * 100)),
      war,
      gflops: rs[0]!.gflops,
      gflopsRatio: rs[0]!.gflops / refGflops,
      tokens: rs[0]!.tokens,
      clipsPerSec: spread(rs.map((r) => r.clipsPerSec)),
      cpuMsPerClip: spread(rs.map((r) => r.cpuMsPerClip)),
      warGap: war.mean - refWar * 100,
      ...(apex ? { apex } : {}),
      trainSeconds: meanOf(rs.map((r) => r.trainSeconds)),
      ...(pre.length ? { pretrainSeconds: meanOf(pre.map((r) => r.pretrainSeconds!)) } : {}),
    });
  }
  const row = (n: string) => rows.find((r) => r.name === n);
  const comparisons: Comparison[] = [];
  for (const c of suite.comparisons) {
    const m = row(c.method);
    if (!m) continue;
    for (const b of c.baselines.map(row)) {
      if (!b) continue;
      const warDiff = m.war.mean - b.war.mean;
      const s = Math.max(m.war.std, b.war.std);
      comparisons.push({
        method: m.name,
        baseline: b.name,
        warDiff,
        spread: s,
        sameCost: Math.abs(m.gflops - b.gflops) <= 0.02 * Math.max(m.gflops, b.gflops),
        beyondSpread: warDiff > s,
      });
    }
  }
  return { suite: suite.file, profile, reference: suite.reference, rows, comparisons, environment };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pm = (s: Spread, d = 1) => `${f(s.mean, d)} ± ${f(s.std, d)}`;
const gf = (x: number) => (x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(4) : x.toExponential(2));

/** The table as Markdown: one row per variant, then the comparisons. */
export function tableMarkdown(t: AblationTable): string {
  const lines = [
    '| variant | UAR (%) | WAR (%) | WAR vs full | inference GFLOPs | vs full | tokens (visible → kept) | clips/s | apex P@k (mask / CA / chance) | seeds |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of t.rows) {
    const apex = r.apex
      ? `${f(r.apex.selected * 100, 0)} / ${r.apex.classAgnostic !== undefined ? f(r.apex.classAgnostic * 100, 0) : '-'} / ${f(r.apex.chance * 100, 0)}`
      : '-';
    const gap = r.name === t.reference ? '-' : `${r.warGap >= 0 ? '+' : ''}${f(r.warGap)}`;
    lines.push(
      `| ${r.label} | ${pm(r.uar)} | ${pm(r.war)} | ${gap} | ${gf(r.gflops)} | ${f(r.gflopsRatio, 2)}x | ${r.tokens.visible} → ${r.tokens.kept} | ${pm(r.clipsPerSec, 0)} | ${apex} | ${r.seeds.length} |`,
    );
  }
  if (t.comparisons.length) {
    lines.push('', '| comparison | WAR difference (points) | larger seed std | same GFLOPs | beyond the spread |', '|---|---|---|---|---|');
    for (const c of t.comparisons) {
      const label = (n: string) => t.rows.find((r) => r.name === n)?.label ?? n;
      lines.push(
        `| ${label(c.method)} vs ${label(c.baseline)} | ${c.warDiff >= 0 ? '+' : ''}${f(c.warDiff)} | ${f(c.spread)} | ${c.sameCost ? 'yes' : 'no'} | ${c.beyondSpread ? 'yes' : 'no'} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
