#!/usr/bin/env node
// The `adatosk` binary: runs the built CLI and exits with its code.
import { main } from '../dist/index.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`adatosk: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
