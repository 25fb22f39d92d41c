// Which runtime measures which field: a catalog entry's `requires` joined with what each known
// runtime offers. The READMEs' tables and the runtime tests' expectations are computed from it.
import type { CatalogEntry } from '@runometer/core';
import { CAPABILITIES, type Capability } from './capabilities.js';
import { KNOWN_RUNTIMES } from './known-runtimes.js';

/** A runtime whose capabilities were checked: each Node line (`node20`, `node22` …), `bun`, `deno`. */
export type KnownRuntimeName = keyof typeof KNOWN_RUNTIMES;

/**
 * The known runtime that describes `runtime` (`detectRuntime()`, or a body's `runtime` and
 * `runtime_version` tags): Node by its line (`24.22.3` is `node24`), Bun and Deno by name; undefined
 * for a Node line or a runtime never checked.
 */
export function knownRuntimeOf(runtime: { readonly name: string; readonly version: string }): KnownRuntimeName | undefined {
  const key = runtime.name === 'node' ? `node${runtime.version.split('.')[0]}` : runtime.name;
  return Object.hasOwn(KNOWN_RUNTIMES, key) ? (key as KnownRuntimeName) : undefined;
}

/**
 * What a runtime must be granted for a capability to be readable (Deno's permissions, found
 * by running the presets with and without each flag on the Deno of known-runtimes.ts). Without it, each field that requires the
 * capability is left out and reported once through `onError`, naming the flag.
 */
export const GRANTS: { readonly [R in KnownRuntimeName]?: Readonly<Partial<Record<Capability, string>>> } = {
  // Deno gives /proc to --allow-all alone: --allow-read=/proc/self/statm is answered "Requires all access".
  deno: { procSelf: '--allow-all', constrainedMemory: '--allow-sys=systemMemoryInfo', availableMemory: '--allow-sys=systemMemoryInfo' },
};

export type Measurement =
  | { readonly measured: false /** The capabilities the runtime lacks. */; readonly missing: readonly Capability[] }
  | {
      readonly measured: true;
      /** Flags the runtime must be granted, if any. */
      readonly grants: readonly string[];
      /** The condition of the machine under which alone it is measured, if any. */
      readonly when?: string;
    };

function capability(name: string, key: string): Capability {
  if (Object.hasOwn(CAPABILITIES, name)) return name as Capability;
  throw new Error(`field "${key}" requires "${name}", which is none of the capabilities: ${Object.keys(CAPABILITIES).join(', ')}`);
}

/** Whether `runtime` measures the field, as far as its known capabilities say. */
export function measuredOn(entry: Pick<CatalogEntry, 'key' | 'requires' | 'when'>, runtime: KnownRuntimeName): Measurement {
  const required = entry.requires.map((name) => capability(name, entry.key));
  const offered: Readonly<Record<Capability, boolean>> = KNOWN_RUNTIMES[runtime].capabilities;
  const missing = required.filter((name) => !offered[name]);
  if (missing.length > 0) return { measured: false, missing };
  const granted: Readonly<Partial<Record<Capability, string>>> = GRANTS[runtime] ?? {};
  const grants = [...new Set(required.flatMap((name) => granted[name] ?? []))];
  return entry.when === undefined ? { measured: true, grants } : { measured: true, grants, when: entry.when };
}
