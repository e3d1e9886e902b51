// Locating tfjs-backend-wasm's .wasm binaries from ESM, CJS or a bundle.
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

// ESM has import.meta.url; the CJS build (esbuild leaves import.meta empty there) has __filename.
function hereUrl(): string {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string' && url !== '') return url;
  if (typeof __filename === 'string') return pathToFileURL(__filename).href;
  return pathToFileURL(join(process.cwd(), 'index.js')).href;
}

/**
 * Directory (ending in a path separator) that holds tfjs-backend-wasm's `.wasm` files, resolved from the
 * installed package. `from` is a file or directory to resolve from (defaults to this module, then cwd).
 */
export function wasmDistDir(from?: string): string {
  const bases = from !== undefined ? [from] : [hereUrl(), join(process.cwd(), 'index.js')];
  const errors: string[] = [];
  for (const base of bases) {
    try {
      const req = createRequire(base.endsWith('/') || base.endsWith(sep) ? join(base, 'index.js') : base);
      const pkgJson = req.resolve('@tensorflow/tfjs-backend-wasm/package.json');
      return join(dirname(pkgJson), 'dist') + sep;
    } catch (err) {
      errors.push(`${base}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `Cannot find '@tensorflow/tfjs-backend-wasm' (looked from ${errors.join('; ')}). ` +
      `Install it (npm install @tensorflow/tfjs-backend-wasm) or pass the directory holding ` +
      `tfjs-backend-wasm.wasm explicitly: setupWasm({ wasmPaths: '/path/to/dist/' }).`,
  );
}
