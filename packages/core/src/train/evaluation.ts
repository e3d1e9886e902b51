// The evaluation policy of a run: which epochs evaluate, and which evaluation is the best so far.
import type { EvalEvent, EvalMetrics, TrainEvent } from '../events/types.js';

export type BestEvaluation = { epoch: number; metrics: EvalMetrics };

/** Evaluates every `every` epochs and after the last one, and keeps the best by `metric`. */
export class EvaluationPolicy {
  readonly evals: EvalEvent[] = [];
  last: EvalMetrics | undefined;

  constructor(
    private readonly evaluate: ((ctx: { epoch: number }) => Promise<EvalMetrics>) | undefined,
    private readonly every: number,
    private readonly epochs: number,
    private readonly metric: 'uar' | 'war',
    /** The best so far (from a resumed state). */
    public best: BestEvaluation | undefined,
  ) {}

  /** Whether epoch `epoch` (1-based) evaluates. */
  due(epoch: number): boolean {
    if (!this.evaluate) return false;
    return epoch === this.epochs || (this.every > 0 && epoch % this.every === 0);
  }

  /** Evaluates after epoch `epoch` (1-based) when due; returns true when this is the best evaluation so far. */
  async afterEpoch(epoch: number, emit: (event: TrainEvent) => void): Promise<boolean> {
    if (!this.evaluate || !this.due(epoch)) return false;
    const e0 = Date.now();
    const metrics = await this.evaluate({ epoch });
    this.last = metrics;
    const event: EvalEvent = { type: 'eval', epoch, split: 'test', metrics, durationMs: Date.now() - e0 };
    this.evals.push(event);
    emit(event);
    if (!this.best || metrics[this.metric] > this.best.metrics[this.metric]) {
      this.best = { epoch, metrics };
      return true;
    }
    return false;
  }
}
