// Suites that need a system package (Chromium, the Vulkan loader) skip with one line naming what to
// install when it is missing; with ADATOSK_REQUIRE_SYSTEM=1 (set by .ci/run) the skip is a failure.
// ADATOSK_PRETEND_MISSING=chromium,webgpu makes this machine look as if those were not installed, so the
// skip and fail paths can be tried (and tested) where the packages are present.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const INSTALL_SYSTEM = 'apt-get install chromium libvulkan1';
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type SystemNeed = 'chromium' | 'webgpu';
const NEEDS: readonly SystemNeed[] = ['chromium', 'webgpu'];

function hasVulkanLoader(): boolean {
  try {
    return /libvulkan\.so\.1\b/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }));
  } catch {
    return ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some(existsSync);
  }
}

/** The needs ADATOSK_PRETEND_MISSING names (comma-separated); an unknown name is an error, not a silent no-op. */
export function pretendMissing(env: NodeJS.ProcessEnv = process.env): SystemNeed[] {
  const names = (env.ADATOSK_PRETEND_MISSING ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!NEEDS.includes(n as SystemNeed)) throw new Error(`ADATOSK_PRETEND_MISSING: unknown system need '${n}'; use ${NEEDS.join(', ')}`);
  }
  return names as SystemNeed[];
}

/** Why `need` is not met on this machine, or undefined when it is. */
export function missingSystem(need: SystemNeed, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (pretendMissing(env).includes(need)) return `${need} is missing (ADATOSK_PRETEND_MISSING)`;
  if (need === 'chromium') {
    if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
    // The browser suites run WebGPU on Chromium's own SwiftShader Vulkan driver.
    return existsSync(SWIFTSHADER_ICD) ? undefined : `Chromium's SwiftShader driver (${SWIFTSHADER_ICD}) is missing`;
  }
  if (!hasVulkanLoader()) return 'the Vulkan loader (libvulkan.so.1) is missing';
  if (env.VK_ICD_FILENAMES === undefined && !existsSync(SWIFTSHADER_ICD)) return `no Vulkan driver (${SWIFTSHADER_ICD} is missing)`;
  return undefined;
}

/** True when skips for missing system packages must fail instead (CI). */
export const systemRequired = (env: NodeJS.ProcessEnv = process.env): boolean => env.ADATOSK_REQUIRE_SYSTEM === '1';

export type SystemPlan = { action: 'run' } | { action: 'skip' | 'fail'; line: string };

/** What `describeWithSystem` does with a suite named `name` that needs `needs`, here and now. */
export function planSystemSuite(needs: SystemNeed | SystemNeed[], name: string, env: NodeJS.ProcessEnv = process.env): SystemPlan {
  const missing = [needs]
    .flat()
    .map((n) => missingSystem(n, env))
    .filter((m): m is string => m !== undefined);
  if (missing.length === 0) return { action: 'run' };
  const line = `${name}: skipped, ${missing.join('; ')}: ${INSTALL_SYSTEM}`;
  return systemRequired(env) ? { action: 'fail', line: `${line} (ADATOSK_REQUIRE_SYSTEM=1)` } : { action: 'skip', line };
}

/**
 * `describe` that runs only where `needs` are met. Elsewhere it prints one line saying what to install and
 * skips, or, under ADATOSK_REQUIRE_SYSTEM=1, registers one failing test with that line.
 */
export function describeWithSystem(needs: SystemNeed | SystemNeed[], name: string, body: () => void): void {
  const plan = planSystemSuite(needs, name);
  if (plan.action === 'run') describe(name, body);
  else if (plan.action === 'fail') {
    describe(name, () =>
      it('has its system packages', () => {
        throw new Error(plan.line);
      }),
    );
  } else {
    console.warn(plan.line);
    describe.skip(name, body);
  }
}
