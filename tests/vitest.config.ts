import { defineProject } from 'vitest/config';

// Repository-level checks that need built packages (npm test builds first). One file at a time: the pack test's
// npm prepack/postpack hooks rewrite packages/*/package.json while they run, which the other checks read.
export default defineProject({
  test: { name: 'repo', include: ['**/*.test.ts'], testTimeout: 120_000, fileParallelism: false },
});
