import type { Capability } from '../capabilities.js';
import { assumeCapabilities } from '../detect.js';
import { KNOWN_RUNTIMES } from '../known-runtimes.js';
import type { KnownRuntimeName } from '../measured-on.js';

/** A runtime faked for a test: `has()` answers as it does until `restore()` (or the end of a `using` block). */
export interface FakeRuntime {
  readonly name: KnownRuntimeName;
  readonly capabilities: Readonly<Record<Capability, boolean>>;
  /** Makes `has()` answer as before the fake: detection, or the fake this one replaced. */
  restore(): void;
  [Symbol.dispose](): void;
}

/**
 * Makes `has()` and `detectCapabilities()` answer as `runtime` did when `KNOWN_RUNTIMES` was last
 * written, with `overrides` on top: a preset under test then leaves out what that runtime cannot
 * measure. Faking a capability this process lacks makes the preset call an API that is not there:
 * fake the runtimes that offer less than the one running the tests.
 */
export function fakeRuntime(runtime: KnownRuntimeName, overrides: Readonly<Partial<Record<Capability, boolean>>> = {}): FakeRuntime {
  const known = KNOWN_RUNTIMES[runtime] as (typeof KNOWN_RUNTIMES)[KnownRuntimeName] | undefined;
  if (known === undefined) throw new Error(`"${String(runtime)}" is none of the known runtimes: ${Object.keys(KNOWN_RUNTIMES).join(', ')}`);
  for (const capability of Object.keys(overrides)) {
    if (!Object.hasOwn(known.capabilities, capability)) {
      throw new Error(`"${capability}" is none of the capabilities: ${Object.keys(known.capabilities).join(', ')}`);
    }
  }
  const capabilities: Record<Capability, boolean> = { ...known.capabilities, ...overrides };
  const replaced = assumeCapabilities(capabilities);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    assumeCapabilities(replaced);
  };
  return { name: runtime, capabilities, restore, [Symbol.dispose]: restore };
}
