import { KNOWN_RUNTIMES, detectCapabilities, detectRuntime, knownRuntimeOf, type Capability, type RuntimeInfo } from '@runometer/runtime';
import { describe, expect, test } from 'vitest';
import { CHILD_RUNTIMES, knownRuntime, runOn } from './runtimes.js';

type Detected = { runtime: RuntimeInfo; capabilities: Record<Capability, boolean> };

/** Each capability whose live detection differs from KNOWN_RUNTIMES, said so that the fix is plain. */
function differences({ runtime, capabilities }: Detected): string[] {
  const name = knownRuntimeOf(runtime);
  if (name === undefined)
    return [`${runtime.name} ${runtime.version} is none of the known runtimes: run \`npm run capabilities\` to add it`];
  const known = KNOWN_RUNTIMES[name];
  return Object.entries(capabilities)
    .filter(([capability, offered]) => known.capabilities[capability as Capability] !== offered)
    .map(
      ([capability, offered]) =>
        `${runtime.name} ${runtime.version} ${offered ? 'offers' : 'no longer offers'} ${capability}, where KNOWN_RUNTIMES ` +
        `(checked on ${known.version}) says otherwise: run \`npm run capabilities\` to regenerate packages/runtime/src/known-runtimes.ts`,
    );
}

describe('the live detection agrees with KNOWN_RUNTIMES', () => {
  test('on Node', async () => {
    const detected: Detected = { runtime: detectRuntime(), capabilities: await detectCapabilities() };
    expect(knownRuntimeOf(detected.runtime)).toBe(knownRuntime('node'));
    expect(differences(detected)).toEqual([]);
  });

  test.each(CHILD_RUNTIMES)(
    'on %s',
    async (runtime) => {
      const detected: Detected = JSON.parse(await runOn(runtime, 'packages/runtime/scripts/print-capabilities.js'));
      expect(knownRuntimeOf(detected.runtime)).toBe(runtime);
      expect(differences(detected)).toEqual([]);
    },
    60_000,
  );

  test('a difference names the runtime, the capability and how to regenerate; a Node line never checked, how to add it', () => {
    const node = KNOWN_RUNTIMES.node24;
    expect(
      differences({ runtime: { name: 'node', version: '24.99.0' }, capabilities: { ...node.capabilities, heapSpaces: false } }),
    ).toEqual([
      `node 24.99.0 no longer offers heapSpaces, where KNOWN_RUNTIMES (checked on ${node.version}) says otherwise: ` +
        'run `npm run capabilities` to regenerate packages/runtime/src/known-runtimes.ts',
    ]);
    expect(differences({ runtime: { name: 'node', version: '99.0.0' }, capabilities: node.capabilities })).toEqual([
      'node 99.0.0 is none of the known runtimes: run `npm run capabilities` to add it',
    ]);
  });
});
