// @ts-check
// The field catalog of the four presets: every field each declares (key, type, kind, unit, help,
// the capabilities it requires), in the order a meter that uses them all renders them. Read by
// `npm run catalog` (the READMEs' tables), the runtime tests and the accuracy suite, which resolve
// `@runometer/*` to the sources or to the built packages alike.
import { catalogOf } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { measuredOn } from '@runometer/runtime';

/** The four presets, by the name of their package's folder (`packages/preset-<name>`). */
export const PRESETS = { memory: MemoryPreset, sockets: SocketsPreset, threads: ThreadsPreset, other: OtherPreset };

export const CATALOG = Object.values(PRESETS).flatMap((preset) => catalogOf(preset));

/**
 * The catalog's entry for `field`: a field key, or a series field with its tags (`gc_count_total{gc_kind=major}`).
 * @param {string} field
 */
export function catalogEntry(field) {
  const key = field.split('{')[0];
  const entry = CATALOG.find((candidate) => candidate.key === key);
  if (entry === undefined) throw new Error(`no preset declares a field "${key}"`);
  return entry;
}

/**
 * Whether `runtime` measures `field` at all, granted every flag, as its known capabilities say.
 * @param {import('@runometer/runtime').KnownRuntimeName} runtime
 * @param {string} field
 */
export function measures(runtime, field) {
  return measuredOn(catalogEntry(field), runtime).measured;
}
