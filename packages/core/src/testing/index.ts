// @adatosk/core/testing: the VideoMAE conformance checks every backend runs.
export { runParityChecks, DEFAULT_TOLERANCE, type ParityResult, type ParityTolerance, type ParityGroup } from './parity.js';
export { loadFixturesFromDir, loadFixturesFromUrl, findFixturesDir, FIXTURE_FILES, type FixtureBytes } from './fixtures.js';
export { toLegacyCheckpoint } from './legacy.js';
export { describeParitySuite, type ParitySuiteOptions } from './suite.js';
// Test-only: forget every mask registration (built-ins re-register with registerBuiltinMasks() from @adatosk/masks).
export { resetMaskRegistry } from '../masks/registry.js';
