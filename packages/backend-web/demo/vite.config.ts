// The demo page: `vite build --config demo/vite.config.ts` (part of the package's `build`) writes demo-dist/.
// Workspace packages resolve from source, so the demo builds without their dist/.
import { defineConfig, defaultClientConditions } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { conditions: ['@adatosk/source', ...defaultClientConditions] },
  build: {
    outDir: fileURLToPath(new URL('../demo-dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
