import { defineProject } from 'vitest/config';

// Repository-level checks that need built packages (npm test builds first).
export default defineProject({
  test: { name: 'repo', include: ['**/*.test.ts'], testTimeout: 120_000 },
});
