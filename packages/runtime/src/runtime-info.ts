export type RuntimeName = 'node' | 'bun' | 'deno' | 'unknown';

export interface RuntimeInfo {
  readonly name: RuntimeName;
  /** The runtime's own version, e.g. `20.20.2`, `1.4.5`, `2.9.6`. */
  readonly version: string;
}

interface RuntimeGlobals {
  Bun?: unknown;
  Deno?: { version?: { deno?: string } };
  process?: { versions?: { node?: string; bun?: string } };
}

/**
 * Which runtime this is. Bun and Deno both report a Node version of their own making in
 * `process.version`, so the test is on what only each of them has.
 */
export function detectRuntime(globals: RuntimeGlobals = globalThis as RuntimeGlobals): RuntimeInfo {
  const bun = globals.process?.versions?.bun;
  if (bun !== undefined) return { name: 'bun', version: bun };
  const deno = globals.Deno?.version?.deno;
  if (deno !== undefined) return { name: 'deno', version: deno };
  const node = globals.process?.versions?.node;
  if (node !== undefined) return { name: 'node', version: node };
  return { name: 'unknown', version: '' };
}
