// Output a newcomer reads as trouble, checked on the built packages: npm's install-scripts warning, turbo's
// telemetry notice, Dawn's Vulkan warnings on a machine without Vulkan, and the CJS build's empty import.meta.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('npm and turbo', () => {
  it('every dependency with an install script is approved in allowScripts, so npm ci does not warn', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([path, p]) => p.hasInstallScript && path.includes('node_modules/'))
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(pkg.allowScripts?.[name], `allowScripts["${name}"]`).toBe(true);
  });

  it('the root scripts run turbo with its telemetry off, so a fresh clone sees no telemetry notice', () => {
    for (const [name, script] of Object.entries(pkg.scripts as Record<string, string>)) {
      if (/\bturbo\b/.test(script)) expect(script, `script ${name}`).toMatch(/^node scripts\/turbo\.mjs /);
    }
    const home = mkdtempSync(join(tmpdir(), 'adatosk-home-'));
    const r = spawnSync(process.execPath, ['scripts/turbo.mjs', 'run', 'build', '--filter=@adatosk/webgpu', '--dry=json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TURBO_TELEMETRY_DISABLED: undefined },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/telemetry/i);
  });
});

describe('built packages', () => {
  it('the CommonJS build of the CLI has a working import.meta.url (info reads package versions through it)', async () => {
    const require = createRequire(join(root, 'package.json'));
    const cli = require('@adatosk/cli') as typeof import('@adatosk/cli');
    const r = await cli.runInfo({ backend: 'cpu', json: true, io: cli.captureIo() });
    expect(r.versions['@adatosk/core']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.runIf(process.platform === 'linux')('a machine without a Vulkan driver gets no Vulkan warnings from Dawn', () => {
    const code =
      "const m = await import('@adatosk/backend-node'); const d = await m.listDevices(); console.log(JSON.stringify(d.find((x) => x.device === 'webgpu')));";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/vulkan|vkCreateInstance/i);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({
      available: false,
      reason: expect.stringMatching(/Dawn cannot run: (the Vulkan loader|no Vulkan driver)/),
    });
  });
});
