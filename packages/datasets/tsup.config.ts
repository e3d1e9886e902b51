import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

export default defineConfig(
  packageBuild({ index: './src/index.ts', synthetic: './src/synthetic/index.ts', 'pipeline-worker': './src/workers/entry.ts' }),
);
