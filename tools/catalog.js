// @ts-check
// The field catalog of the repository's packages: which packages declare fields, with their
// presets, and every field those presets declare (key, type, kind, unit, help, the capabilities it
// requires), in the order a meter that uses them all renders them. The one list to extend when a
// package with presets is added. Read by `npm run catalog` (the READMEs' tables, and the copy
// `runometer check` ships in packages/cli/src/catalog.ts), the runtime tests, the dashboards and
// the accuracy suite, which resolve `@runometer/*` to the sources or to the built packages alike.
import { ClusterPreset, WorkerThreadsPreset } from '@runometer/cluster';
import { catalogOf } from '@runometer/core';
import { HttpPreset } from '@runometer/preset-http';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { PushPreset } from '@runometer/push';
import { KNOWN_RUNTIMES, measuredOn } from '@runometer/runtime';

/** The four presets, by the name of their package's folder (`packages/preset-<name>`). */
export const PRESETS = /** @type {const} */ ({ memory: MemoryPreset, sockets: SocketsPreset, threads: ThreadsPreset, other: OtherPreset });

/**
 * Every package whose presets declare fields, by its folder under `packages/`, with those presets.
 * @type {Readonly<Record<string, readonly Function[]>>}
 */
export const PACKAGE_PRESETS = {
  ...Object.fromEntries(Object.entries(PRESETS).map(([name, preset]) => [`preset-${name}`, [preset]])),
  cluster: [ClusterPreset, WorkerThreadsPreset],
  push: [PushPreset],
  'preset-http': [HttpPreset],
};

/** @type {readonly import('@runometer/core').CatalogEntry[]} */
export const CATALOG = Object.values(PACKAGE_PRESETS).flatMap((presets) => presets.flatMap((preset) => catalogOf(preset)));

/**
 * The catalog's entry for `field`: a field key, or a series field with its tags (`gc_duration_seconds{gc_kind=major}`).
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

/** @typedef {import('@runometer/runtime').KnownRuntimeName} KnownRuntimeName */

/**
 * The known runtimes by runtime, in KNOWN_RUNTIMES' order: Node (one known runtime per line
 * checked), Bun, Deno. The READMEs' tables and the dashboards give each runtime one column or one
 * name, and say which lines give which answer where a runtime's lines differ (`groupAnswer`).
 * @type {readonly { title: string, members: readonly KnownRuntimeName[] }[]}
 */
export const RUNTIME_GROUPS = Object.values(
  Object.entries(KNOWN_RUNTIMES).reduce(
    (groups, [key, { name }]) => {
      (groups[name] ??= { title: `${name[0]?.toUpperCase()}${name.slice(1)}`, members: [] }).members.push(
        /** @type {KnownRuntimeName} */ (key),
      );
      return groups;
    },
    /** @type {Record<string, { title: string, members: KnownRuntimeName[] }>} */ ({}),
  ),
);

/**
 * One answer for a runtime's known runtimes: `answerOf`'s where all agree, else each answer with the
 * lines that give it, `✓ on 22, 24; — on 20`.
 * @param {readonly KnownRuntimeName[]} members
 * @param {(runtime: KnownRuntimeName) => string} answerOf
 */
export function groupAnswer(members, answerOf) {
  /** @type {Map<string, string[]>} */
  const lines = new Map();
  for (const member of members) {
    const answer = answerOf(member);
    lines.set(answer, [...(lines.get(answer) ?? []), KNOWN_RUNTIMES[member].version.split('.')[0] ?? '']);
  }
  if (lines.size === 1) return [...lines.keys()][0] ?? '';
  return [...lines].map(([answer, majors]) => `${answer} on ${majors.join(', ')}`).join('; ');
}
