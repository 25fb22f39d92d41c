import { describe, expect, test } from 'vitest';
import { knownRuntimeOf, measuredOn } from './measured-on.js';

const field = (requires: string[], when?: string) => ({ key: 'f', requires, ...(when === undefined ? {} : { when }) });

describe('measuredOn', () => {
  test('a field that requires nothing is measured everywhere, with no grant', () => {
    for (const runtime of ['node20', 'node22', 'node24', 'node26', 'bun', 'deno'] as const)
      expect(measuredOn(field([]), runtime)).toEqual({ measured: true, grants: [] });
  });

  test('a field is left out where one capability it requires is missing, naming those missing', () => {
    expect(measuredOn(field(['activeResources', 'activeUdpSockets']), 'node24')).toEqual({ measured: true, grants: [] });
    expect(measuredOn(field(['activeResources', 'activeUdpSockets']), 'deno')).toEqual({ measured: false, missing: ['activeUdpSockets'] });
    expect(measuredOn(field(['activeResources', 'activeUdpSockets']), 'bun')).toEqual({
      measured: false,
      missing: ['activeResources', 'activeUdpSockets'],
    });
  });

  test("says what Deno must be granted, once per flag, and the machine's condition", () => {
    expect(measuredOn(field(['procSelf']), 'deno')).toEqual({ measured: true, grants: ['--allow-all'] });
    expect(measuredOn(field(['constrainedMemory', 'availableMemory'], 'a cgroup memory limit is set'), 'deno')).toEqual({
      measured: true,
      grants: ['--allow-sys=systemMemoryInfo'],
      when: 'a cgroup memory limit is set',
    });
    expect(measuredOn(field(['procSelf']), 'node22')).toEqual({ measured: true, grants: [] });
  });

  test('refuses a capability name it does not know, naming the field', () => {
    expect(() => measuredOn(field(['procSelff']), 'node26')).toThrow(
      'field "f" requires "procSelff", which is none of the capabilities: activeResources, ',
    );
  });
});

describe('knownRuntimeOf', () => {
  test('Node by its line, Bun and Deno by name, whatever their version', () => {
    expect(knownRuntimeOf({ name: 'node', version: '20.20.2' })).toBe('node20');
    expect(knownRuntimeOf({ name: 'node', version: '24.1.0' })).toBe('node24');
    expect(knownRuntimeOf({ name: 'bun', version: '1.0.0' })).toBe('bun');
    expect(knownRuntimeOf({ name: 'deno', version: '2.9.6' })).toBe('deno');
  });

  test('undefined for a Node line or a runtime never checked', () => {
    expect(knownRuntimeOf({ name: 'node', version: '23.11.0' })).toBeUndefined();
    expect(knownRuntimeOf({ name: 'node', version: '' })).toBeUndefined();
    expect(knownRuntimeOf({ name: 'unknown', version: '' })).toBeUndefined();
    expect(knownRuntimeOf({ name: 'constructor', version: '' })).toBeUndefined();
  });
});
