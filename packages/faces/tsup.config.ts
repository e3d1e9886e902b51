import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/tsup-config.js';

// The detector imports its weights through the package's own name (`@adatosk/faces/models/*`), kept
// external so the weights are one file each, shared by the ESM and CommonJS builds and split by bundlers.
export default defineConfig(
  packageBuild(
    {
      index: './src/index.ts',
      node: './src/node/index.ts',
      'models/short-range': './src/models/short-range.ts',
      'models/back-camera': './src/models/back-camera.ts',
    },
    { external: [/^@adatosk\/faces(\/|$)/] },
  ),
);
