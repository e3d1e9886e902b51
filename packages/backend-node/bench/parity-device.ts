// Runs the core HF parity checks on one device and prints each result (diagnostics, not a test).
// Run: node packages/backend-node/scripts/run-ts.mjs packages/backend-node/bench/parity-device.ts webgpu [abs]
import { findFixturesDir, loadFixturesFromDir, runParityChecks } from '@adatosk/core/testing';
import { selectDevice, type Device } from '../src/index.js';

const device = (process.argv[2] ?? 'wasm') as Device;
const picked = await selectDevice(device);
console.log(picked.device, picked.reason);
const t0 = performance.now();
const results = await runParityChecks(await loadFixturesFromDir(await findFixturesDir()), {
  tolerance: { abs: Number(process.argv[3] ?? 1e-4) },
});
const bad = results.filter((r) => !r.ok);
const worst = results.reduce((w, r) => (r.maxAbsErr > w.maxAbsErr ? r : w), results[0]);
console.log(
  `${results.length} checks, ${bad.length} failed, worst ${worst.name} ${worst.maxAbsErr.toExponential(2)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
for (const r of bad) console.log('FAIL', r.variant, r.name, r.detail);
process.exit(bad.length === 0 ? 0 : 1);
