import { defineConfig } from 'vitest/config';

// One run over every package's project; the JSON report is what .ci/run counts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tests'],
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
