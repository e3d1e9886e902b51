// Prints `N passed, N failed` from vitest's JSON report, the line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
if (!existsSync(file)) {
  console.log(`ci-summary: ${file} was not written (the build or the test run failed before reporting)`);
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
// Suites that fail to load count as failures too: their tests never ran.
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${Math.max(failed, report.numFailedTests ?? 0)} failed${skipped ? `, ${skipped} skipped` : ''}`);
