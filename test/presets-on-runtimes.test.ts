import { totalmem } from 'node:os';
import { describe, expect, test } from 'vitest';
import { CONDITIONAL, expectedKeys, withheld, type Granted } from './expected-fields.js';
import { renderPresets, type PresetOutput } from './render-presets.js';
import { nameOf } from '../tools/runtimes.js';
import { CHILD_RUNTIMES, knownRuntime, runOn } from './runtimes.js';

// The exact fields each runtime emits, computed from the catalog (each field's `requires`) and what
// each runtime offers, so that a field that silently disappears (or a stub that sneaks in as a
// zero) fails the suite. The presets' README tables are generated from the same data.

/**
 * What the render says, without what a condition of the machine decides (a cgroup memory limit
 * exists on some machines and not on others; a by-type series depends on what happens to be open).
 */
function comparable(output: PresetOutput) {
  const series = Object.fromEntries(Object.entries(output.series).filter(([name]) => !CONDITIONAL.series.has(name)));
  return { fields: output.fields.filter((key) => !CONDITIONAL.fields.has(key)), series, faults: output.faults };
}

describe('the presets emit exactly the fields each runtime can measure', () => {
  test('on Node', async () => {
    const output = await renderPresets();
    expect(output.runtime).toBe('node');
    expect(comparable(output)).toEqual({ ...expectedKeys(knownRuntime('node')), faults: [] });
    const limit = process.constrainedMemory?.();
    expect(output.fields.includes('constrained_memory_bytes')).toBe(limit !== undefined && limit > 0 && limit < totalmem());
  });

  test.each(CHILD_RUNTIMES)(
    'on %s',
    async (runtime) => {
      const output: PresetOutput = JSON.parse(await runOn(runtime, 'test/render-presets.ts'));
      expect(output.runtime).toBe(nameOf(runtime));
      expect(comparable(output)).toEqual({ ...expectedKeys(knownRuntime(runtime)), faults: [] });
    },
    60_000,
  );
});

describe('on Deno, a field left out for a missing permission is reported once, with what to grant', () => {
  /** The fault of a field left out for want of `grant`: what it needed to read, and the flag. */
  function fault({ key, grant }: { key: string; grant: string }) {
    const what = grant.startsWith('--allow-sys=')
      ? `read system information ${grant.slice('--allow-sys='.length)}`
      : 'read /proc/self/[a-z]+';
    return expect.stringMatching(new RegExp(`^field "${key}" left out: needs permission to ${what}: grant ${grant}$`));
  }

  test.each([
    ['with every permission but --allow-all: the fields read from /proc', ['--allow-sys=systemMemoryInfo']],
    ['with none: those, and the memory limits', []],
  ])(
    '%s',
    async (_, flags) => {
      const granted: Granted = (flag) => flags.includes(flag);
      const output: PresetOutput = JSON.parse(await runOn('deno', 'test/render-presets.ts', 60_000, flags));
      const left = withheld('deno', granted);
      expect(left.length).toBeGreaterThan(0);
      expect(comparable(output)).toEqual({ ...expectedKeys('deno', granted), faults: left.map(fault) });
    },
    60_000,
  );
});
