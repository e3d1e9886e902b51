// Trains and evaluates every fold and reports the mean and spread of the per-fold UAR and WAR
// (the DFEW/MAFW convention: average the folds' metrics, never pool predictions).
import type { EvalMetrics, TrainEvent } from '../events/types.js';
import { summarize, type Summary } from './metrics.js';

export interface KFoldResult {
  folds: Array<{ fold: number; metrics: EvalMetrics }>;
  uar: Summary;
  war: Summary;
}

export async function runKFold(
  folds: number[],
  runFold: (fold: number) => Promise<EvalMetrics>,
  onEvent?: (e: TrainEvent) => void,
): Promise<KFoldResult> {
  if (folds.length === 0) throw new Error('runKFold: no folds given; pass e.g. [1, 2, 3, 4, 5]');
  const out: KFoldResult['folds'] = [];
  for (const fold of folds) {
    const metrics = await runFold(fold);
    out.push({ fold, metrics });
    onEvent?.({ type: 'fold', fold, folds: folds.length, metrics });
  }
  return { folds: out, uar: summarize(out.map((f) => f.metrics.uar)), war: summarize(out.map((f) => f.metrics.war)) };
}
