// The epoch and evaluation history of a run, kept in the run folder (history.json) so that a resumed run's plots
// still show the epochs before the interrupt.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochEvent, EvalEvent, TrainEvent } from '@adatosk/core';
import { HISTORY, type RunStore } from './store.js';

export interface RunHistory {
  epochs: EpochEvent[];
  evals: EvalEvent[];
}

/**
 * The history saved in `dir` up to `completedEpochs` (events of later epochs belong to work the checkpoint being
 * resumed does not hold, e.g. an epoch logged just before a kill). Empty when the folder has none.
 */
export async function readHistory(dir: string, completedEpochs: number): Promise<RunHistory> {
  const text = await readFile(join(dir, HISTORY), 'utf8').catch(() => undefined);
  if (text === undefined) return { epochs: [], evals: [] };
  let saved: Partial<RunHistory>;
  try {
    saved = JSON.parse(text) as Partial<RunHistory>;
  } catch {
    return { epochs: [], evals: [] }; // only the plots read it: a damaged file costs the earlier points, not the run
  }
  const keep = <T extends { epoch: number }>(xs: T[] | undefined) =>
    Array.isArray(xs) ? xs.filter((x) => x.epoch <= completedEpochs) : [];
  return { epochs: keep(saved.epochs), evals: keep(saved.evals) };
}

/** Records epoch and eval events into history.json as they come (writes are serialised, each one atomic). */
export class HistoryRecorder {
  readonly history: RunHistory;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    private readonly store: RunStore,
    prior: RunHistory = { epochs: [], evals: [] },
  ) {
    this.history = { epochs: [...prior.epochs], evals: [...prior.evals] };
  }

  record(event: TrainEvent): void {
    if (event.type === 'epoch') this.history.epochs.push(event);
    else if (event.type === 'eval') this.history.evals.push(event);
    else return;
    const snapshot = JSON.parse(JSON.stringify(this.history)) as RunHistory;
    // Only the plots read the history: a failed write is reported by flush(), it does not stop training.
    this.writing = this.writing
      .then(() => this.store.writeJson(HISTORY, snapshot))
      .catch((e: Error) => {
        this.failure ??= e;
      });
  }

  /** Resolves when every recorded event is on disk, with the first write error if any. */
  async flush(): Promise<Error | undefined> {
    await this.writing;
    return this.failure;
  }
}
