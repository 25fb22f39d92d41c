import type { CatalogEntry } from '@runometer/core';
import type { ParsedLine } from '@runometer/core/format';
import { knownRuntimeOf, measuredOn, type KnownRuntimeName } from '@runometer/runtime';
import { CATALOG } from './catalog.js';

export interface FieldExpectations {
  /** The runtime the body names in its `runtime` tag (preset-other's), when it does. */
  readonly runtime?: string;
  /** The known runtime its fields were checked against (Node by its \`runtime_version\`'s line); none for a runtime or a Node line never checked. */
  readonly known?: KnownRuntimeName;
  readonly findings: readonly string[];
}

/** The key that tells a field is in a body: a histogram's `<key>_count`, on its point's line (its buckets have lines of their own). */
const writtenKey = (entry: CatalogEntry) => (entry.kind === 'histogram' ? `${entry.key}_count` : entry.key);

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
  const used = new Set(catalog.filter((entry) => present.has(writtenKey(entry))).map((entry) => entry.preset));
  const findings: string[] = [];
  for (const entry of catalog.filter((candidate) => used.has(candidate.preset))) {
    const measurement = measuredOn(entry, known);
    const there = present.has(writtenKey(entry));
    if (measurement.measured && !there && measurement.when === undefined) {
      const grants = measurement.grants.length === 0 ? '' : ` (it needs ${measurement.grants.join(' ')})`;
      findings.push(`field "${entry.key}" of preset ${entry.preset} is missing: ${runtime} measures it${grants}`);
    }
    if (!measurement.measured && there) {
      findings.push(
        `field "${entry.key}" of preset ${entry.preset} is there, but ${runtime} cannot measure it (no ${measurement.missing.join(', ')})`,
      );
    }
  }
  return { runtime, known, findings };
}
