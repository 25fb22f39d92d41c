import { afterEach, describe, expect, test } from 'vitest';
import { detectCapabilities, has } from '../detect.js';
import { KNOWN_RUNTIMES } from '../known-runtimes.js';
import { fakeRuntime, type FakeRuntime } from './fake-runtime.js';

let fakes: FakeRuntime[] = [];
afterEach(() => {
  for (const fake of fakes.reverse()) fake.restore();
  fakes = [];
});
const faking = (...args: Parameters<typeof fakeRuntime>) => {
  const fake = fakeRuntime(...args);
  fakes.push(fake);
  return fake;
};

describe('fakeRuntime', () => {
  test('makes has() and detectCapabilities() answer as the runtime did, until restored', async () => {
    const detected = has('activeResources');
    const bun = faking('bun');
    expect(bun.capabilities).toEqual(KNOWN_RUNTIMES.bun.capabilities);
    expect(has('activeResources')).toBe(false);
    expect(has('procSelf')).toBe(true);
    expect(await detectCapabilities()).toEqual(KNOWN_RUNTIMES.bun.capabilities);
    bun.restore();
    expect(has('activeResources')).toBe(detected);
  });

  test('takes overrides on top of the known answers', () => {
    faking('node20', { procSelf: false });
    expect(has('procSelf')).toBe(false);
    expect(has('loopUtilization')).toBe(true);
  });

  test('a fake made over another restores it, and restoring twice changes nothing', () => {
    faking('deno');
    const bun = faking('bun');
    expect(has('heapStatistics')).toBe(false);
    bun.restore();
    bun.restore();
    expect(has('heapStatistics')).toBe(true);
    expect(has('loopUtilization')).toBe(false);
  });

  test('is disposable: leaving a `using` block restores it', () => {
    const detected = has('activeResources');
    const bun = faking('bun');
    bun[Symbol.dispose]();
    expect(has('activeResources')).toBe(detected);
  });

  test('refuses a runtime or a capability it does not know, naming the known ones', () => {
    expect(() => fakeRuntime('browser' as never)).toThrow(
      '"browser" is none of the known runtimes: node20, node22, node24, node26, bun, deno',
    );
    expect(() => fakeRuntime('bun', { procself: true } as never)).toThrow(/^"procself" is none of the capabilities: activeResources, /);
  });
});
