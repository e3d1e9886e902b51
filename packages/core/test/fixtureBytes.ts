import { findFixturesDir, loadFixturesFromDir, type FixtureBytes } from '@adatosk/core/testing';

let cached: Promise<FixtureBytes> | undefined;
/** The HF golden fixtures (../shared/fixtures/videomae-tiny from the repo root), read once per file. */
export function fixtureBytes(): Promise<FixtureBytes> {
  cached ??= findFixturesDir().then(loadFixturesFromDir);
  return cached;
}
