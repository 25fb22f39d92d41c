import { describe, expect, test } from 'vitest';
import { measuredOn } from './measured-on.js';

const field = (requires: string[], when?: string) => ({ key: 'f', requires, ...(when === undefined ? {} : { when }) });

describe('measuredOn', () => {
  test('a field that requires nothing is measured everywhere, with no grant', () => {
    for (const runtime of ['node', 'bun', 'deno'] as const) expect(measuredOn(field([]), runtime)).toEqual({ measured: true, grants: [] });
  });

  test('a field is left out where one capability it requires is missing, naming those missing', () => {
    expect(measuredOn(field(['activeResources', 'activeUdpSockets']), 'node')).toEqual({ measured: true, grants: [] });
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
    expect(measuredOn(field(['procSelf']), 'node')).toEqual({ measured: true, grants: [] });
  });

  test('refuses a capability name it does not know, naming the field', () => {
    expect(() => measuredOn(field(['procSelff']), 'node')).toThrow(
      'field "f" requires "procSelff", which is none of the capabilities: activeResources, '
    );
  });
});
