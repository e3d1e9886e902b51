// One shared, portable tsup setup (tsup is in maintenance mode: keep to entry/format/dts/clean/sourcemap/target).
import type { Options } from 'tsup';

export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...extra,
  };
}
