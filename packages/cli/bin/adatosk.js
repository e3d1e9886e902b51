#!/usr/bin/env node
// The `adatosk` binary: runs the built CLI and exits with its code.
// CommonJS on purpose (bin/package.json): it runs before Node starts libuv's thread pool, which is sized
// once, on first use. Frames decode there (sharp), for every data worker thread at once, so the default
// of 4 threads would cap decoding at 4 cores.
'use strict';
if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = String(Math.max(4, require('node:os').availableParallelism()));
}

// npm (`npx adatosk`, `npm run ...`) starts this process through `sh -c`. A SIGTERM sent to npm is forwarded to
// that shell only, which dies without passing it on, and this process would go on running with no parent. So
// under npm, a parent that goes away counts as SIGTERM: a training run saves a checkpoint and stops, as on Ctrl-C.
if (process.env.npm_command !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}

import('../dist/index.js')
  .then(({ main }) => main(process.argv.slice(2)))
  .then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`adatosk: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
