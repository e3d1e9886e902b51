// Builds the demo and the parity page with Vite into one directory (one build keeps the suite fast).
import { build, defaultClientConditions, type PluginOption } from 'vite';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = process.env.ADATOSK_WEB_DIR ?? fileURLToPath(new URL('../..', import.meta.url));

export async function buildPages(outDir: string, plugins: PluginOption[] = []): Promise<void> {
  await build({
    configFile: false,
    plugins,
    root: PACKAGE_DIR,
    base: './',
    logLevel: 'warn',
    resolve: { conditions: ['@adatosk/source', ...defaultClientConditions] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 8192,
      rollupOptions: {
        input: {
          demo: `${PACKAGE_DIR}/demo/index.html`,
          parity: `${PACKAGE_DIR}/test/browser/parity.html`,
          faces: `${PACKAGE_DIR}/test/browser/faces-bench.html`,
        },
        // @adatosk/core/testing also exports a vitest suite, and finds fixture files in Node through
        // @adatosk/fixtures (node:url, node:path); the page uses only the plain checks and fetches fixtures.
        external: ['vitest', '@adatosk/fixtures'],
      },
    },
  });
}
