// tests/support/system.ts: a suite needing a missing system package skips with one line naming what to install,
// and fails under ADATOSK_REQUIRE_SYSTEM=1. ADATOSK_PRETEND_MISSING hides packages that are installed here.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INSTALL_SYSTEM, missingSystem, planSystemSuite, pretendMissing } from './support/system.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('planSystemSuite', () => {
  it('skips with one line naming what is missing and what to install', () => {
    const plan = planSystemSuite(['chromium', 'webgpu'], 'browser', { ADATOSK_PRETEND_MISSING: 'chromium,webgpu' });
    expect(plan).toEqual({
      action: 'skip',
      line: `browser: skipped, chromium is missing (ADATOSK_PRETEND_MISSING); webgpu is missing (ADATOSK_PRETEND_MISSING): ${INSTALL_SYSTEM}`,
    });
    expect(INSTALL_SYSTEM).toBe('apt-get install chromium libvulkan1');
  });

  it('fails instead under ADATOSK_REQUIRE_SYSTEM=1', () => {
    const plan = planSystemSuite('webgpu', 'gpu', { ADATOSK_PRETEND_MISSING: 'webgpu', ADATOSK_REQUIRE_SYSTEM: '1' });
    expect(plan.action).toBe('fail');
    expect(plan.action !== 'run' && plan.line).toMatch(
      /^gpu: skipped, webgpu is missing .*apt-get install chromium libvulkan1 \(ADATOSK_REQUIRE_SYSTEM=1\)$/,
    );
  });

  it('hides only what ADATOSK_PRETEND_MISSING names, and rejects unknown names', () => {
    expect(missingSystem('chromium', { ADATOSK_PRETEND_MISSING: 'webgpu' })).toBe(missingSystem('chromium', {}));
    expect(pretendMissing({ ADATOSK_PRETEND_MISSING: ' chromium , webgpu ' })).toEqual(['chromium', 'webgpu']);
    expect(() => pretendMissing({ ADATOSK_PRETEND_MISSING: 'vulkan' })).toThrow(/unknown system need 'vulkan'; use chromium, webgpu/);
  });
});

describe('describeWithSystem in a real vitest run', () => {
  const run = (env: Record<string, string>) => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(root, 'tests/support/fixtures/vitest.config.ts')],
      {
        cwd: join(root, 'tests/support/fixtures'),
        env: { ...process.env, ADATOSK_REQUIRE_SYSTEM: '', ADATOSK_PRETEND_MISSING: '', NO_COLOR: '1', ...env },
        encoding: 'utf8',
      },
    );
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  };

  it('skips (exit 0) with the one line, and fails (exit 1) when system packages are required', () => {
    const skipped = run({ ADATOSK_PRETEND_MISSING: 'chromium' });
    expect(skipped.status, skipped.output).toBe(0);
    // (A machine that really lacks the Vulkan loader adds its own reason to the same line.)
    expect(skipped.output).toMatch(
      /needs chromium and webgpu: skipped, chromium is missing \(ADATOSK_PRETEND_MISSING\)[^\n]*: apt-get install chromium libvulkan1\n/,
    );
    expect(skipped.output).toMatch(/1 skipped/);

    const failed = run({ ADATOSK_PRETEND_MISSING: 'webgpu', ADATOSK_REQUIRE_SYSTEM: '1' });
    expect(failed.status, failed.output).toBe(1);
    expect(failed.output).toMatch(/has its system packages/);
    expect(failed.output).toContain('(ADATOSK_REQUIRE_SYSTEM=1)');
  });
});
