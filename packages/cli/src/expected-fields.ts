import { ClusterPreset, WorkerThreadsPreset } from '@runometer/cluster';
import { catalogOf, type CatalogEntry } from '@runometer/core';
import type { ParsedLine } from '@runometer/core/format';
import { HttpPreset } from '@runometer/preset-http';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { PushPreset } from '@runometer/push';
import { knownRuntimeOf, measuredOn, type KnownRuntimeName } from '@runometer/runtime';

/** The four presets, by the name of their package's folder (`packages/preset-<name>`). */
export const PRESETS = { memory: MemoryPreset, sockets: SocketsPreset, threads: ThreadsPreset, other: OtherPreset } as const;

/** Every package whose presets declare fields, by its folder under `packages/`, with those presets. */
export const PACKAGE_PRESETS: Readonly<Record<string, readonly Function[]>> = {
  ...Object.fromEntries(Object.entries(PRESETS).map(([name, preset]) => [`preset-${name}`, [preset]])),
  cluster: [ClusterPreset, WorkerThreadsPreset],
  push: [PushPreset],
  'preset-http': [HttpPreset],
};

/** Every field the packages' presets declare, in the order a meter that uses them all renders them. */
export const CATALOG: readonly CatalogEntry[] = Object.values(PACKAGE_PRESETS).flatMap((presets) => presets.flatMap((preset) => catalogOf(preset)));

export interface FieldExpectations {
  /** The runtime the body names in its `runtime` tag (preset-other's), when it does. */
  readonly runtime?: string;
  /** The known runtime its fields were checked against (Node by its \`runtime_version\`'s line); none for a runtime or a Node line never checked. */
  readonly known?: KnownRuntimeName;
  readonly findings: readonly string[];
}

/**
 * The presets' fields the body should hold for its runtime: each preset with at least one field in
 * the body is taken as used, and each of its fields the runtime measures should be there, and none
 * it cannot measure (a field a runtime cannot measure is left out, never reported as zero).
 */
export function expectedFields(lines: readonly ParsedLine[], catalog: readonly CatalogEntry[] = CATALOG): FieldExpectations {
  const tags = lines.find((line) => line.tags['runtime'] !== undefined)?.tags;
  const runtime = tags?.['runtime'];
  const known = runtime === undefined ? undefined : knownRuntimeOf({ name: runtime, version: tags?.['runtime_version'] ?? '' });
  if (known === undefined) return { ...(runtime === undefined ? {} : { runtime }), findings: [] };
  const present = new Set(lines.flatMap((line) => Object.keys(line.fields)));
  const used = new Set(catalog.filter((entry) => present.has(entry.key)).map((entry) => entry.preset));
  const findings: string[] = [];
  for (const entry of catalog.filter((candidate) => used.has(candidate.preset))) {
    const measurement = measuredOn(entry, known);
    if (measurement.measured && !present.has(entry.key) && measurement.when === undefined) {
      const grants = measurement.grants.length === 0 ? '' : ` (it needs ${measurement.grants.join(' ')})`;
      findings.push(`field "${entry.key}" of preset ${entry.preset} is missing: ${runtime} measures it${grants}`);
    }
    if (!measurement.measured && present.has(entry.key)) {
      findings.push(`field "${entry.key}" of preset ${entry.preset} is there, but ${runtime} cannot measure it (no ${measurement.missing.join(', ')})`);
    }
  }
  return { runtime, known, findings };
}
