// One shared tsup setup (tsup is in maintenance mode: keep to entry/format/dts/clean/sourcemap/target/splitting/shims).
import type { Options } from 'tsup';
import { GRADIENTS_ENTRY, tfjsGradientsPlugin } from './tfjs-gradients.js';

// `shims` gives the CJS build a real `import.meta.url` (from __filename): without it esbuild leaves import.meta
// empty there and warns ("import.meta" is not available with "cjs"), and `createRequire(import.meta.url)` breaks.
// tsdown, tsup's successor, has the same option.
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // No source maps: they tripled the tarballs (core 1.87 MB with maps, 0.67 MB without, 2.12 MB with
    // maps plus the src/ they point at), and the output is unminified, one `// src/...` comment per module,
    // so stack traces read as they are. Development runs the sources through '@adatosk/source'.
    sourcemap: false,
    target: 'node20',
    // Entries share chunks in CJS too (tsup's CJS splitting), so `require('@adatosk/core/testing')`
    // and `require('@adatosk/core')` load one copy of core, as ESM imports do.
    splitting: true,
    shims: true,
    // ...but only the CJS half of it: tsup's ESM shim (a `__dirname` built from node:path and node:url)
    // lands in a chunk every entry imports once splitting is on, which breaks browser bundles of the
    // ESM build. Our ESM code reads import.meta.url and never __dirname.
    esbuildOptions(options, { format }) {
      if (format === 'esm') options.inject = options.inject?.filter((file) => !/esm_shims\.js$/.test(file));
    },
    // tfjs-core's gradient registrations exist only as extensionless ESM that plain Node cannot load:
    // the plugin bundles the gradient configs alone and points every other tfjs-core import at the
    // public (external) entry, so no build carries a copy of TF.js's engine.
    noExternal: [GRADIENTS_ENTRY],
    esbuildPlugins: [tfjsGradientsPlugin()],
    ...extra,
  };
}
