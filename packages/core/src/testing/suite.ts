import { beforeAll, describe, expect, it } from 'vitest';
// Through the package's own public subpath, so the built '@adatosk/core/testing/vitest' entry imports
// the one copy of the checks (and of core) instead of bundling another.
import {
  findFixturesDir,
  loadFixturesFromDir,
  runParityChecks,
  type FixtureBytes,
  type ParityGroup,
  type ParityResult,
  type ParityTolerance,
} from '@adatosk/core/testing';

export interface ParitySuiteOptions {
  /** Shown in the suite name, e.g. `wasm`. */
  backendName: string;
  /** Registers and selects the backend (e.g. `await tf.setBackend('wasm')`). */
  setup: () => Promise<void>;
  /** Folder holding the fixture files (default: found by `findFixturesDir`). */
  fixturesDir?: string;
  /** Fixture bytes, or a loader (browsers); takes precedence over `fixturesDir`. */
  fixtures?: FixtureBytes | (() => Promise<FixtureBytes>);
  tolerance?: Partial<ParityTolerance>;
  /** Also check the legacy checkpoint layout (default true). */
  legacy?: boolean;
}

const groups: [ParityGroup, string][] = [
  ['embeddings', 'patch embeddings + position table'],
  ['last_hidden_state', 'encoder last hidden state'],
  ['logits', 'classifier logits'],
  ['cls.loss', 'classification loss'],
  ['cls.grad', 'gradient of every classifier parameter'],
  ['pretrain.loss', 'reconstruction loss'],
  ['pretrain.logits', 'reconstruction predictions'],
  ['pretrain.grad', 'gradient of every pre-training parameter'],
];

const describeFailures = (rs: ParityResult[]) => rs.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);

/**
 * The VideoMAE parity suite against HF's golden tensors, for one backend (vitest). Each backend
 * package calls it with its own `setup`.
 */
export function describeParitySuite(options: ParitySuiteOptions): void {
  describe(`VideoMAE parity with Hugging Face (${options.backendName})`, () => {
    let results: ParityResult[] = [];
    beforeAll(async () => {
      await options.setup();
      const fx =
        typeof options.fixtures === 'function'
          ? await options.fixtures()
          : (options.fixtures ?? (await loadFixturesFromDir(options.fixturesDir ?? (await findFixturesDir()))));
      results = await runParityChecks(fx, { tolerance: options.tolerance, legacy: options.legacy });
    });
    for (const variant of options.legacy === false ? (['current'] as const) : (['current', 'legacy'] as const)) {
      for (const [group, title] of groups) {
        it(`${title} (${variant} checkpoint layout)`, () => {
          const rs = results.filter((r) => r.variant === variant && r.group === group);
          expect(rs.length, `no ${group} results`).toBeGreaterThan(0);
          expect(describeFailures(rs)).toEqual([]);
        });
      }
    }
  });
}
