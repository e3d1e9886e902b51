import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

export default defineConfig(packageBuild({ index: './src/index.ts' }));
