// `adatosk datasets prepare <name> <root> --out <dir>`: one command, two jobs. Without --faces it writes the
// frame cache training reads fast (prepare-cache.ts); with --faces it crops the faces of raw videos into the
// frame-folder layout the loaders read (prepare-faces.ts).
import { defineCommand } from 'citty';
import { backendArgs, outputArgs } from '../../args.js';
import { prepareCacheArgs, prepareCacheFromArgs } from './prepare-cache.js';
import { prepareFacesArgs, prepareFacesFromArgs } from './prepare-faces.js';

export default defineCommand({
  meta: {
    name: 'prepare',
    description:
      'Prepare a dataset: a frame cache that training reads fast (adatosk train --cache <dir>), or with --faces face frames cut from raw videos',
  },
  args: {
    ...prepareCacheArgs,
    name: {
      type: 'positional',
      required: true,
      description: 'dfew | ferv39k | mafw | folder | list (with --faces: mafw | dfew | ferv39k | folder)',
      valueHint: 'name',
    },
    out: {
      type: 'string',
      alias: 'o',
      required: true,
      description: 'Output folder: the cache, or with --faces the face frames (an interrupted prepare resumes there)',
      valueHint: 'dir',
    },
    size: {
      type: 'string',
      description: 'Frame size: the training size of the cache (default 160), or with --faces the crop side (default 224)',
      valueHint: 'px',
    },
    faces: prepareFacesArgs.faces,
    detector: prepareFacesArgs.detector,
    limit: prepareFacesArgs.limit,
    ...backendArgs,
    ...outputArgs,
  },
  async run({ args, rawArgs }) {
    if (args.faces) await prepareFacesFromArgs(args);
    else await prepareCacheFromArgs(args, rawArgs);
  },
});
