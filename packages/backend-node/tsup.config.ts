import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

// tfjs-core ships its gradient registrations only as extensionless ESM under dist/, which Node cannot
// import; bundling that one subpath (it shares tfjs-core's global engine and registries) makes the
// built `register` entry work in plain Node. Every other tfjs import stays external.
export default defineConfig(
  packageBuild(
    { index: './src/index.ts', register: './src/register.ts' },
    { noExternal: [/^@tensorflow\/tfjs-core\/dist\//] },
  ),
);
