// One shared, portable tsup setup (tsup is in maintenance mode: keep to entry/format/dts/clean/sourcemap/target).
import type { Options } from 'tsup';

// tfjs-core ships its gradient registrations only as extensionless ESM, which plain Node cannot load.
// Bundling that one module (it registers into tfjs-core's global gradient registry, so a bundled copy
// and the installed tfjs-core agree) makes built packages train in Node, browsers and bundlers alike.
const tfjsGradients = /^@tensorflow\/tfjs-core\/dist\/register_all_gradients/;

// `shims` gives the CJS build a real `import.meta.url` (from __filename): without it esbuild leaves import.meta
// empty there and warns ("import.meta" is not available with "cjs"), and `createRequire(import.meta.url)` breaks.
// tsdown, tsup's successor, has the same option.
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
    noExternal: [tfjsGradients],
    ...extra,
  };
}
