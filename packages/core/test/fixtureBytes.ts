import { findFixturesDir, loadFixturesFromDir, type FixtureBytes } from '@adatosk/core/testing';

let cached: Promise<FixtureBytes> | undefined;
/** The HF golden fixtures (`@adatosk/fixtures`), read once per file. */
export function fixtureBytes(): Promise<FixtureBytes> {
  cached ??= findFixturesDir().then(loadFixturesFromDir);
  return cached;
}
