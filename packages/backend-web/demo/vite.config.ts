// The demo page: `vite build --config demo/vite.config.ts` (part of the package's `build`) writes demo-dist/.
// Workspace packages resolve from source, so the demo builds without their dist/.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, defaultClientConditions, type Connect, type Plugin } from 'vite';

// `adatosk train` writes runs/ at the repository root; the dev and preview servers serve it at /runs/, so a run
// loads with ?checkpoint=/runs/latest/ (the `latest` link included).
const RUNS = fileURLToPath(new URL('../../../runs/', import.meta.url));
const TYPES: Record<string, string> = { '.json': 'application/json', '.safetensors': 'application/octet-stream', '.png': 'image/png' };

const serveRuns: Connect.NextHandleFunction = (req, res, next) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (!path.startsWith('/runs/')) return next();
  const file = resolve(RUNS, path.slice('/runs/'.length));
  if (relative(RUNS, file).startsWith('..')) return next();
  stat(file).then(
    (s) => {
      if (!s.isFile()) return next();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': s.size });
      createReadStream(file).pipe(res);
    },
    () => next(),
  );
};

const runsFolder: Plugin = {
  name: 'adatosk-runs-folder',
  configureServer: (server) => void server.middlewares.use(serveRuns),
  configurePreviewServer: (server) => void server.middlewares.use(serveRuns),
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [runsFolder],
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
