import { expect, it } from 'vitest';
import { parseMemoryBudget } from '../src/memory-budget.js';
import { trainFlags } from '../src/commands/train.js';

it('--memory-budget reads sizes with binary units and plain bytes, and rejects anything else', () => {
  expect(parseMemoryBudget('20GB')).toBe(20 * 2 ** 30);
  expect(parseMemoryBudget('20GiB')).toBe(20 * 2 ** 30);
  expect(parseMemoryBudget('512mb')).toBe(512 * 2 ** 20);
  expect(parseMemoryBudget('1.5TB')).toBe(1.5 * 2 ** 40);
  expect(parseMemoryBudget(12345)).toBe(12345);
  for (const bad of ['x', '20 apples', '-1GB', '0', ''])
    expect(() => parseMemoryBudget(bad), bad).toThrow(/--memory-budget '.*' is not a memory size; write e.g. 20GB/);
  expect(trainFlags({ 'memory-budget': '8GB' })).toMatchObject({ train: { memoryBudget: 8 * 2 ** 30 } });
});
