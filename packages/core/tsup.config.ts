import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

export default defineConfig(
  packageBuild({ index: './src/index.ts', internal: './src/internal.ts', testing: './src/testing/index.ts', 'testing/parity': './src/testing/parity.ts' }),
);
