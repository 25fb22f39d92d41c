import { expect, test, vi } from 'vitest';
import { CAPABILITIES } from './capabilities.js';
import { detectCapabilities, gcCostMicroseconds, has } from './detect.js';

test('tests a capability the first time it is asked, and remembers the answer', () => {
  const list = vi.spyOn(process, 'getActiveResourcesInfo');
  expect(has('activeResources')).toBe(true);
  expect(has('activeResources')).toBe(true);
  expect(list).toHaveBeenCalledTimes(1);
  list.mockRestore();
});

test('GC profiler records are in microseconds on Node', () => {
  expect(gcCostMicroseconds()).toBe(1);
});

test('detects every capability, each Node 20 offers on Linux', async () => {
  const capabilities = await detectCapabilities();
  expect(Object.keys(capabilities).sort()).toEqual(Object.keys(CAPABILITIES).sort());
  expect(Object.entries(capabilities).filter(([, offered]) => !offered)).toEqual(process.platform === 'linux' ? [] : [['procSelf', false]]);
});
