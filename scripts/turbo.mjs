// Runs the workspace's turbo with its anonymous telemetry off (TURBO_TELEMETRY_DISABLED=1 unless the caller set it),
// so a fresh clone's first `npm run build` prints no telemetry notice and sends nothing. A script rather than an
// environment prefix in package.json because npm runs scripts through cmd.exe on Windows.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo');
const run = spawnSync(process.execPath, [turbo, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});
if (run.error) throw run.error;
process.exit(run.status ?? 1);
