// @adatosk/core/testing/vitest: the parity suite as vitest tests (vitest is an optional peer
// dependency; ESM only, as vitest is). The checks themselves are in '@adatosk/core/testing'.
export { describeParitySuite, type ParitySuiteOptions } from './suite.js';
