import { KNOWN_RUNTIMES, detectCapabilities, detectRuntime, type Capability } from '@runometer/runtime';
import { describe, expect, test } from 'vitest';
import { runOn } from './runtimes.js';

type Detected = { runtime: { name: keyof typeof KNOWN_RUNTIMES; version: string }; capabilities: Record<Capability, boolean> };

/** Each capability whose live detection differs from KNOWN_RUNTIMES, said so that the fix is plain. */
function differences({ runtime, capabilities }: Detected): string[] {
  const known = KNOWN_RUNTIMES[runtime.name];
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
    const detected = { runtime: detectRuntime(), capabilities: await detectCapabilities() } as Detected;
    expect(detected.runtime.name).toBe('node');
    expect(differences(detected)).toEqual([]);
  });

  test.each(['bun', 'deno'] as const)('on %s', async (runtime) => {
    const detected: Detected = JSON.parse(await runOn(runtime, 'packages/runtime/scripts/print-capabilities.js'));
    expect(detected.runtime.name).toBe(runtime);
    expect(differences(detected)).toEqual([]);
  }, 60_000);

  test('a difference names the runtime, the capability and how to regenerate', () => {
    const node = KNOWN_RUNTIMES.node;
    expect(differences({ runtime: { name: 'node', version: '99.0.0' }, capabilities: { ...node.capabilities, heapSpaces: false } })).toEqual([
      `node 99.0.0 no longer offers heapSpaces, where KNOWN_RUNTIMES (checked on ${node.version}) says otherwise: ` +
        'run `npm run capabilities` to regenerate packages/runtime/src/known-runtimes.ts',
    ]);
  });
});
