// Suites that need a system package (Chromium, the Vulkan loader) skip with one line naming what to
// install when it is missing; with ADATOSK_REQUIRE_SYSTEM=1 (set by .ci/run) the skip is a failure.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const INSTALL_SYSTEM = 'apt-get install chromium libvulkan1';
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
export const CHROMIUM = '/usr/bin/chromium';

export type SystemNeed = 'chromium' | 'webgpu';

function hasVulkanLoader(): boolean {
  try {
    return /libvulkan\.so\.1\b/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }));
  } catch {
    return ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some(existsSync);
  }
}

/** Why `need` is not met on this machine, or undefined when it is. */
export function missingSystem(need: SystemNeed): string | undefined {
  if (need === 'chromium') return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing`;
  if (!hasVulkanLoader()) return 'the Vulkan loader (libvulkan.so.1) is missing';
  if (process.env.VK_ICD_FILENAMES === undefined && !existsSync(SWIFTSHADER_ICD)) return `no Vulkan driver (${SWIFTSHADER_ICD} is missing)`;
  return undefined;
}

/** True when skips for missing system packages must fail instead (CI). */
export const systemRequired = (): boolean => process.env.ADATOSK_REQUIRE_SYSTEM === '1';

/**
 * `describe` that runs only where `needs` are met. Elsewhere it prints one line saying what to install and
 * skips, or, under ADATOSK_REQUIRE_SYSTEM=1, registers one failing test with that line.
 */
export function describeWithSystem(needs: SystemNeed | SystemNeed[], name: string, body: () => void): void {
  const missing = [needs].flat().map(missingSystem).filter((m): m is string => m !== undefined);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const line = `${name}: skipped, ${missing.join('; ')}: ${INSTALL_SYSTEM}`;
  if (systemRequired()) {
    describe(name, () => it('has its system packages', () => { throw new Error(`${line} (ADATOSK_REQUIRE_SYSTEM=1)`); }));
    return;
  }
  console.warn(line);
  describe.skip(name, body);
}
