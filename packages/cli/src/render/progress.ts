// Turns core's progress events into a progress bar + epoch table (humans) or JSON lines (--json).
import cliProgress from 'cli-progress';
import type { TrainEvent, EvalMetrics } from '@adatosk/core';
import type { Io } from '../io.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');

function fmtEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface Reporter {
  (event: TrainEvent): void;
  stop(): void;
}

/** JSON lines of every event (the machine-readable stream). */
export function jsonReporter(io: Io): Reporter {
  const r = ((e: TrainEvent) => io.out(JSON.stringify(e))) as Reporter;
  r.stop = () => {};
  return r;
}

/** A cli-progress bar on a TTY (step, loss, lr, clips/s, ETA) and a line per epoch; plain lines otherwise. */
export function humanReporter(io: Io): Reporter {
  let bar: cliProgress.SingleBar | null = null;
  let total = 0;
  let lastStep = 0;
  let lastPrinted = 0;
  let header = false;
  const table = (cells: string[]) => io.err(cells.map((c, i) => c.padStart(i === 0 ? 5 : 10)).join(' '));
  const r = ((e: TrainEvent) => {
    switch (e.type) {
      case 'start':
        total = e.totalSteps;
        io.err(
          `training: ${e.trainSize} clips, batch ${e.batchSize}, ${e.stepsPerEpoch} steps/epoch x ${e.epochs} epochs` +
            (e.resumedFrom ? ` (resumed at epoch ${e.resumedFrom.epoch + 1}, step ${e.resumedFrom.step})` : ''),
        );
        if (io.tty) {
          bar = new cliProgress.SingleBar(
            {
              format: 'epoch {epoch} |{bar}| step {value}/{total} | loss {loss} | lr {lr} | {cps} clips/s | ETA {eta_formatted}',
              stream: io.tty,
              hideCursor: true,
              clearOnComplete: true,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, e.resumedFrom?.step ?? 0, { epoch: '-', loss: '-', lr: '-', cps: '-' });
        }
        break;
      case 'step': {
        lastStep = e.step;
        if (bar)
          bar.update(e.step, { epoch: `${e.epoch}`, loss: e.loss.toFixed(4), lr: e.lr.toExponential(2), cps: e.clipsPerSec.toFixed(1) });
        else if (Date.now() - lastPrinted > 10_000) {
          lastPrinted = Date.now();
          const eta = (e.elapsedMs / e.step) * (e.totalSteps - e.step);
          io.err(
            `  step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ${e.clipsPerSec.toFixed(1)} clips/s ETA ${fmtEta(eta)}`,
          );
        }
        break;
      }
      case 'skip':
        io.err(`  step ${e.step}: skipped (${e.reason}, loss ${e.loss})`);
        break;
      case 'epoch':
        bar?.stop();
        if (!header) {
          table(['epoch', 'loss', 'cls', 'rec', 'lr', 'clips/s', 'time']);
          header = true;
        }
        table([
          `${e.epoch}/${e.epochs}`,
          e.loss.toFixed(4),
          e.cls.toFixed(4),
          e.rec.toFixed(4),
          e.lr.toExponential(2),
          e.clipsPerSec.toFixed(1),
          `${(e.durationMs / 1000).toFixed(1)}s`,
        ]);
        if (bar && e.epoch < e.epochs) bar.start(total, lastStep, { epoch: `${e.epoch + 1}` });
        break;
      case 'eval':
        io.err(
          `  eval epoch ${e.epoch}: UAR ${pct(e.metrics.uar)}  WAR ${pct(e.metrics.war)}  (${e.metrics.count} clips, ${(e.durationMs / 1000).toFixed(1)}s)`,
        );
        break;
      case 'checkpoint':
        break;
      case 'fold':
        io.err(`fold ${e.fold}: UAR ${pct(e.metrics.uar)}  WAR ${pct(e.metrics.war)}`);
        break;
      case 'done':
        bar?.stop();
        if (e.aborted) io.err(`stopped after ${e.steps} steps; resume with --resume`);
        break;
      default:
        break;
    }
  }) as Reporter;
  r.stop = () => bar?.stop();
  return r;
}

export function metricsLines(m: EvalMetrics, classes: readonly string[]): string[] {
  const lines = [`UAR ${pct(m.uar)}  WAR ${pct(m.war)}  (${m.count} clips)`];
  const w = Math.max(...classes.map((c) => c.length), 5);
  lines.push('per-class recall: ' + classes.map((c, i) => `${c} ${pct(m.perClassRecall[i])}`).join(', '));
  lines.push('confusion (rows: true, cols: predicted)');
  lines.push(' '.repeat(w + 1) + classes.map((c) => c.slice(0, 6).padStart(7)).join(''));
  m.confusion.forEach((row, i) => lines.push(classes[i].padEnd(w + 1) + row.map((n) => String(n).padStart(7)).join('')));
  return lines;
}
