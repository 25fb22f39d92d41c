import { expect, test, vi } from 'vitest';
import { CAPABILITIES } from './capabilities.js';
import net from 'node:net';
import { GCProfiler } from 'node:v8';
import { detectCapabilities, gcCostMicroseconds, has, markOffered, v8GcProfiler } from './detect.js';
import { fakeRuntime } from './testing/fake-runtime.js';

test('a capability seen in use is offered without its test; a faked runtime still answers first', () => {
  const connect = vi.spyOn(net, 'connect');
  markOffered('netSocketEvents');
  expect(has('netSocketEvents')).toBe(true);
  expect(connect).not.toHaveBeenCalled();
  connect.mockRestore();
  const bun = fakeRuntime('bun');
  try {
    expect(has('netSocketEvents')).toBe(false);
  } finally {
    bun.restore();
  }
});

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

test("V8's GC profiler on Node; none where a faked runtime has none (Bun), and then no unit either", () => {
  expect(v8GcProfiler()).toBe(GCProfiler);
  const bun = fakeRuntime('bun');
  try {
    expect([v8GcProfiler(), gcCostMicroseconds()]).toEqual([undefined, undefined]);
  } finally {
    bun.restore();
  }
});

test('detects every capability, each Node 20 offers on Linux', async () => {
  const capabilities = await detectCapabilities();
  expect(Object.keys(capabilities).sort()).toEqual(Object.keys(CAPABILITIES).sort());
  expect(Object.entries(capabilities).filter(([, offered]) => !offered)).toEqual(process.platform === 'linux' ? [] : [['procSelf', false]]);
});
