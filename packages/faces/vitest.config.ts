import { defineProject } from 'vitest/config';

// Tests import workspace packages from source through the private '@adatosk/source' condition.
export default defineProject({
  resolve: { conditions: ['@adatosk/source'] },
  ssr: { resolve: { conditions: ['@adatosk/source'], externalConditions: ['@adatosk/source'] } },
  test: { name: 'faces', include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
});
