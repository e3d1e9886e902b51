import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

// `testing/vitest` is ESM only (vitest cannot be required) and imports the checks from
// '@adatosk/core/testing', so it is a second, tiny build. Neither build cleans (tsup's clean of the first raced the
// second's declaration files): the build script empties dist first.
export default defineConfig([
  packageBuild({ index: './src/index.ts', internal: './src/internal.ts', testing: './src/testing/index.ts' }, { clean: false }),
  packageBuild({ 'testing/vitest': './src/testing/vitest.ts' }, { format: ['esm'], clean: false, external: ['@adatosk/core/testing'] }),
]);
